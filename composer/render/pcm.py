"""Sound on disk, read and written in blocks, so that no step holds a whole soundtrack.

A sound file is a NumPy .npy array of float32 frames, (n,) mono or (n, channels), whose length is fixed when it
is created (what is not written reads as silence). np.load still opens it whole, which is what small tests do;
the renderer only ever holds BLOCK frames of it at a time.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

# Frames per block: 1.28 s at 48 kHz, a whole number of the 10 ms hops the ducking envelope works in.
BLOCK = 480 * 128


def _header(path: Path) -> tuple[tuple[int, ...], int]:
    with open(path, "rb") as handle:
        version = np.lib.format.read_magic(handle)
        reader = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, fortran, dtype = reader(handle)
        if fortran or dtype != np.float32:
            raise ValueError(f"{path.name}: not a float32 sound file")
        return shape, handle.tell()


def frames_of(path: Path) -> int:
    return _header(Path(path))[0][0]


def channels_of(path: Path) -> int:
    shape = _header(Path(path))[0]
    return shape[1] if len(shape) > 1 else 1


HEADER_BYTES = 128


def _header_bytes(shape: tuple[int, ...]) -> bytes:
    """A .npy (version 1.0) header of a fixed size, so that a file's length can be written in at the end."""
    text = "{'descr': '<f4', 'fortran_order': False, 'shape': " + repr(tuple(shape)) + ", }"
    text = text.ljust(HEADER_BYTES - 10 - 1) + "\n"
    return b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text.encode("latin-1")


class SoundWriter:
    """Writes a sound file block by block, appending or at a given frame. With `frames` the file has exactly
    that many (unwritten ones are silence, later ones are dropped); without, it is as long as what was written."""

    def __init__(self, path: Path, frames: int | None = None, channels: int = 2):
        self.path = Path(path)
        self.frames = frames
        self.channels = channels
        self.handle = open(self.path, "w+b")
        self.handle.write(_header_bytes(self._shape(frames or 0)))
        if frames is not None:
            self.handle.truncate(HEADER_BYTES + frames * channels * 4)
        self.position = 0
        self.written = 0

    def _shape(self, frames: int) -> tuple[int, ...]:
        return (frames, self.channels) if self.channels > 1 else (frames,)

    def write(self, block: np.ndarray, at: int | None = None) -> None:
        at = self.position if at is None else at
        if self.frames is not None:
            block = block[:max(0, self.frames - at)]
        block = np.ascontiguousarray(block, dtype="<f4")
        if block.shape[0]:
            self.handle.seek(HEADER_BYTES + at * self.channels * 4)
            self.handle.write(block.tobytes())
        self.position = at + block.shape[0]
        self.written = max(self.written, self.position)

    def close(self) -> None:
        if not self.handle.closed:
            if self.frames is None:
                self.handle.seek(0)
                self.handle.write(_header_bytes(self._shape(self.written)))
            self.handle.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def read(path: Path, start: int, stop: int) -> np.ndarray:
    """Frames [start, stop) of a sound file (zeros past its end)."""
    shape, offset = _header(Path(path))
    channels = shape[1] if len(shape) > 1 else 1
    total = shape[0]
    start, stop = max(0, start), max(start, stop)
    count = max(0, min(stop, total) - start)
    with open(path, "rb") as handle:
        handle.seek(offset + start * channels * 4)
        data = np.fromfile(handle, dtype="<f4", count=count * channels)
    data = data.reshape(-1, channels) if channels > 1 else data
    if data.shape[0] < stop - start:
        data = np.concatenate([data, np.zeros((stop - start - data.shape[0], *data.shape[1:]), np.float32)])
    return data


def blocks(path: Path, block: int = BLOCK, start: int = 0, stop: int | None = None) -> Iterator[np.ndarray]:
    """A sound file (or frames [start, stop) of it) as consecutive blocks."""
    total = frames_of(path) if stop is None else stop
    for at in range(start, total, block):
        yield read(path, at, min(at + block, total))


def scale_in_place(path: Path, gain: float, block: int = BLOCK) -> None:
    """Multiply a sound file by `gain`, block by block."""
    shape, offset = _header(Path(path))
    width = (shape[1] if len(shape) > 1 else 1) * 4
    with open(path, "r+b") as handle:
        for at in range(0, shape[0], block):
            count = min(block, shape[0] - at)
            handle.seek(offset + at * width)
            data = np.fromfile(handle, dtype="<f4", count=count * width // 4)
            handle.seek(offset + at * width)
            handle.write((data * np.float32(gain)).astype("<f4").tobytes())


def rechunk(pieces: Iterable[np.ndarray], block: int = BLOCK) -> Iterator[np.ndarray]:
    """Pieces of any length as blocks of exactly `block` frames (the last one shorter)."""
    pending: list[np.ndarray] = []
    held = 0
    for piece in pieces:
        pending.append(piece)
        held += piece.shape[0]
        while held >= block:
            joined = np.concatenate(pending) if len(pending) > 1 else pending[0]
            yield joined[:block]
            rest = joined[block:]
            pending, held = ([rest] if rest.shape[0] else []), rest.shape[0]
    if held:
        yield np.concatenate(pending) if len(pending) > 1 else pending[0]
