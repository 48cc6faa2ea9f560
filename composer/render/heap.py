"""How a render's native memory is allocated and given back to the system, so that a long render peaks where a
short one does.

A render allocates and frees large native blocks from several threads (Pillow images, numpy buffers, the encoder's
frames, speech, sound blocks). Two things in glibc's allocator made a process's resident memory creep up with the
length and number of scenes although nothing was still in use:

- Its mmap threshold moves: each large block freed back to the system raises the size from which blocks are
  mapped on their own, up to 32 MB, so after the first frames every 8 MB 1080p buffer, Pillow block and encoder
  picture came from the heaps instead. There they fragment: a small long-lived allocation above a freed buffer
  pins the span below it, and each scene's heap top ended higher than the last (a ten-scene render: the main
  heap grew from 0.3 to 0.6 GB, 70 MB more at every scene; the soundtrack, mixed beside the last scene's frames,
  added the rest). `settle()` fixes the threshold at MMAP_THRESHOLD: large blocks are always mapped on their own
  and go back to the system whole the moment they are freed, whichever thread freed them.
- What its per-thread arenas freed is kept for reuse: `give_back()` asks glibc to return the free pages of every
  arena (malloc_trim), between scenes and every EVERY_FRAMES frames.

Elsewhere (not Linux, or not glibc) both do nothing.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from functools import lru_cache

# How often the frame loop gives memory back: every this many frames (a few milliseconds each time).
EVERY_FRAMES = 250
# Blocks from this size up are mapped on their own (glibc starts at 128 KiB and lets it drift up to 32 MiB).
# A sound block (1.28 s of stereo float32, 480 KiB) stays below it: those are many and short-lived.
MMAP_THRESHOLD = 512 * 1024
_M_MMAP_THRESHOLD = -3     # mallopt's parameter numbers (malloc.h)


@lru_cache(maxsize=1)
def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None   # musl has neither


@lru_cache(maxsize=1)
def settle() -> bool:
    """Fix the allocator's mmap threshold (see above), once per process; True when it could."""
    libc = _libc()
    return bool(libc is not None and libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))


def give_back(*, collect: bool = False) -> None:
    """Return the allocator's free memory to the system, where the allocator can. With `collect` (between scenes),
    Python's garbage collector runs first: anything of the finished scene left in a reference cycle would hold its
    native memory until the next full collection, which comes rarely in a long render."""
    if collect:
        gc.collect()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
