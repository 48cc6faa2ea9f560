"""Rendered scenes kept by everything they depend on, so re-rendering a script after a small edit renders only
the scenes that changed (the join, music and subtitles still run for the whole video).

A scene's key is the hash of its shoot_script, its position (the gesture seed), the presenter, voice, video
and action settings, the identity of every project asset it names (id, stored file, size) and a digest of the
engine's code. Scenes that fetch media from URLs are never cached: what a URL serves may change. Entries live
under MEDIA_ROOT/scene-cache (shared by all workers); the least recently used go beyond COMPOSER_SCENE_CACHE_MB.

One render per key at a time (`render_turn`): the jobs of a batch reach a scene no row changes together, and two
workers that both missed the cache would both render it. A lock file per key (scene-cache/.locks, flock) makes the
second wait for the first and then find its entry; the kernel lets go of a lock when its holder dies, even by
SIGKILL, so a killed worker never leaves a key locked. It holds across every worker that shares MEDIA_ROOT, as the
cache itself does.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from composer.assets.identity import leaves, scene_asset_files
from composer.lib.canonical import content_hash
from composer.spec import ordered_scenes
from composer.spec.transparency import video_has_alpha

log = logging.getLogger(__name__)

FILES = ("segment", "audio", "cover")
TURN_POLL_SECONDS = 0.2


@lru_cache(maxsize=1)
def engine_version() -> str:
    """A digest of the render engine's code and bundled data: an upgrade that draws, times or encodes anything
    differently starts from an empty cache by itself."""
    digest = hashlib.sha256()
    for path in sorted((Path(__file__).resolve().parents[1] / "render").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.name).encode())
            digest.update(path.read_bytes() if path.suffix == ".py" else str(path.stat().st_size).encode())
    return digest.hexdigest()[:16]


def cache_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "scene-cache"


def scene_key(project, spec: dict, index: int) -> str | None:
    """The cache key of scene `index` (render order) of `spec`, or None when the scene must not be cached."""
    scene = ordered_scenes(spec)[index]["shoot_script"]
    if any(isinstance(item, str) and item.startswith(("http://", "https://")) for _, item in leaves(scene)):
        return None
    parts = {"engine": engine_version(), "index": index, "scene": scene, "model": spec.get("model_asset_id"),
             "voice": spec.get("voice_config"), "video": spec.get("video_config"),
             "action": spec.get("action_config"), "assets": scene_asset_files(project, scene, spec),
             # Whether any scene leaves the video see-through: then every segment is encoded with alpha.
             "alpha": video_has_alpha(spec)}
    return content_hash(parts)


def _place(source: Path, target: Path) -> None:
    """A hard link where the file system allows it (no copy of the video), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def fetch(key: str | None, directory: Path) -> dict | None:
    """The cached result of `key` with its files placed in `directory`, or None on a miss."""
    if key is None:
        return None
    entry = cache_root() / key
    try:
        result = json.loads((entry / "result.json").read_text())
        for name in FILES:
            if result.get(name):
                target = directory / result[name]
                _place(entry / result[name], target)
                result[name] = str(target)
        os.utime(entry / "result.json")          # recently used: pruned last
    except (OSError, ValueError):
        return None
    result["reused"] = True
    return result


def _take_lock(path: Path, should_stop: Callable[[], bool]) -> int | None:
    """An open descriptor holding the exclusive lock of `path`, or None when should_stop() said stop first."""
    while True:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if should_stop():
                        os.close(fd)
                        return None
                    time.sleep(TURN_POLL_SECONDS)
            # The holder before us removes the file before letting go: a lock on a removed file guards nothing.
            with contextlib.suppress(FileNotFoundError):
                if os.stat(path).st_ino == os.fstat(fd).st_ino:
                    return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


@contextlib.contextmanager
def render_turn(key: str | None, should_stop: Callable[[], bool]) -> Iterator[bool]:
    """Whether this process may render the scene of `key`: True once no other process renders it (look in the
    cache again then: the one before may have stored it), False if should_stop() said stop while waiting. A scene
    that is never cached (key None) renders at once."""
    if key is None:
        yield True
        return
    path = cache_root() / ".locks" / key
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = _take_lock(path, should_stop)
    except OSError:     # a file system without locks: render (at worst twice, as without the turn)
        log.warning("no render turn for scene %s: its lock file could not be locked", key, exc_info=True)
        fd = -1
    if fd == -1:
        yield True
        return
    if fd is None:
        yield False
        return
    try:
        yield True
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)


def store(key: str | None, result: dict) -> None:
    """Keep a rendered scene (its files are linked, not moved: the job still uses them), then prune."""
    if key is None:
        return
    root = cache_root()
    entry = root / key
    if entry.exists():
        return
    staging = root / f".{key}.{uuid.uuid4().hex[:8]}"
    try:
        staging.mkdir(parents=True)
        kept = dict(result)
        for name in FILES:
            if result.get(name):
                source = Path(result[name])
                _place(source, staging / source.name)
                kept[name] = source.name
        (staging / "result.json").write_text(json.dumps(kept))
        staging.rename(entry)
    except OSError:
        log.warning("could not keep scene %s in the cache", key, exc_info=True)
        shutil.rmtree(staging, ignore_errors=True)
        return
    try:
        prune(root, settings.COMPOSER_SCENE_CACHE_MB * 1024 * 1024)
    except OSError:  # another worker pruned at the same time; the next store tries again
        log.info("scene cache pruning skipped", exc_info=True)


def prune(root: Path, limit_bytes: int) -> None:
    """Drop the least recently used entries until the cache fits in `limit_bytes`."""
    entries = []
    for entry in root.iterdir():
        meta = entry / "result.json"
        if entry.name.startswith(".") or not meta.exists():
            continue
        size = sum(f.stat().st_size for f in entry.iterdir() if f.is_file())
        entries.append((meta.stat().st_mtime, size, entry))
    total = sum(size for _, size, _ in entries)
    for _, size, entry in sorted(entries, key=lambda item: item[0]):
        if total <= limit_bytes:
            break
        shutil.rmtree(entry, ignore_errors=True)
        total -= size
