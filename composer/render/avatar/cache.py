"""Decoded rigs kept in memory, once per process.

Decoding a rig's PNG layers costs about a second per presenter; the renderer, the thumbnails and the editor all
ask for the same few rigs again and again. Entries are keyed by the identity of the file on disk (device, inode,
size and modification time in nanoseconds), so an edited or replaced rig is decoded afresh and never served
stale, while a file that is only renamed (an upload moved from staging into the library) is still the same
entry. The cache is bounded in bytes of decoded pixels and drops the least recently used rig first. Two threads
asking for the same rig at once decode it once: the second waits for the first, except behind the low-priority
warm-up, which a request never waits for.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from composer.render.avatar.rig import Rig, load_rig

DEFAULT_MAX_BYTES = 256 * 1024 * 1024


def file_identity(path: Path | str) -> tuple[int, int, int, int]:
    """What says which bytes a path holds now, without reading them (raises OSError when it is gone)."""
    info = os.stat(path)
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns


def rig_bytes(rig: Rig) -> int:
    """Decoded pixels a rig holds (RGBA, 4 bytes a pixel)."""
    images = [part.image for part in rig.parts.values()]
    images += [image for image, _ in (*rig.mouths.values(), *rig.eyes.values())]
    return sum(image.size[0] * image.size[1] * 4 for image in images)


@dataclass
class _Loading:
    done: threading.Event
    background: bool
    rig: Rig | None = None
    error: BaseException | None = None


class RigCache:
    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES):
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, tuple[Rig, int]] = OrderedDict()
        self._loading: dict[tuple, _Loading] = {}
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    def get(self, path: Path | str, *, background: bool = False) -> Rig:
        """The decoded rig at `path`: from memory when this file was decoded before, else decoded now (RigError
        when it is not a valid rig; failures are not remembered). A caller finding the same rig being decoded
        waits for that decode, unless it is a `background` one (the start-up warm-up, at the lowest CPU priority):
        then a person's request decodes the rig itself rather than wait behind it."""
        key = file_identity(path)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[0]
            loading = self._loading.get(key)
            if loading is None or (loading.background and not background):
                loading = self._loading[key] = _Loading(threading.Event(), background)
                self.misses += 1
                owner = True
            else:
                owner = False
        if not owner:
            loading.done.wait()
            if loading.error is not None:
                raise loading.error
            return loading.rig
        try:
            loading.rig = load_rig(Path(path))
            if file_identity(path) == key:          # not rewritten while it was being read
                self._store(key, loading.rig)
            return loading.rig
        except BaseException as exc:
            loading.error = exc
            raise
        finally:
            with self._lock:
                if self._loading.get(key) is loading:
                    del self._loading[key]
            loading.done.set()

    def _store(self, key: tuple, rig: Rig) -> None:
        size = rig_bytes(rig)
        with self._lock:
            if key in self._entries or size > self.max_bytes:
                return      # decoded twice (a request overtook the warm-up), or larger than the whole cache
            self._entries[key] = (rig, size)
            self._bytes += size
            self._trim()

    def _trim(self) -> None:
        while self._bytes > self.max_bytes and self._entries:
            _, (_, size) = self._entries.popitem(last=False)
            self._bytes -= size

    def __contains__(self, path: Path | str) -> bool:
        try:
            key = file_identity(path)
        except OSError:
            return False
        with self._lock:
            return key in self._entries

    def resize(self, max_bytes: int) -> None:
        with self._lock:
            self.max_bytes = max_bytes
            self._trim()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = self.hits = self.misses = 0

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"rigs": len(self._entries), "bytes": self._bytes, "max_bytes": self.max_bytes,
                    "hits": self.hits, "misses": self.misses}


#: The process's cache: open_rig() reads through it.
RIGS = RigCache()
