"""RGBA frames to the encoder's pixel format (yuv420p, yuva420p, argb), converting only what changed.

Most of a talking-presenter frame is its plate (see composer.render.canvas): the converter converts each plate
once, keeps the converted frame, and per frame converts only the boxes where the frame differs from its plate,
patching them into a working frame that is then encoded. swscale does every conversion. Its 4:2:0 chroma for
a 2x2 block depends on the block and a pixel or two around it, so each box is widened to even coordinates
(plus KEEP pixels) for the part copied, and converted with MARGIN pixels of its surroundings; the result equals
converting the whole frame, bit for bit (tests/render/test_frame_path.py checks it).
"""
from __future__ import annotations

import queue
from collections import OrderedDict

import av
import numpy as np
from av.video.reformatter import VideoReformatter

from composer.render.canvas import fewer_boxes, outside

Box = tuple[int, int, int, int]   # left, top, right, bottom
MARGIN = 8
KEEP = 2
PLATES_KEPT = 2


def wrap(array: np.ndarray) -> av.VideoFrame:
    """An RGBA or RGB uint8 array (rows may be strided) as a VideoFrame, without copying it."""
    return av.VideoFrame.from_numpy_buffer(array, format="rgba" if array.shape[2] == 4 else "rgb24")


def _even_out(box: Box, grow: int, size: tuple[int, int]) -> Box:
    left, top, right, bottom = box
    return (max(0, (left - grow) // 2 * 2), max(0, (top - grow) // 2 * 2),
            min(size[0], -(-(right + grow) // 2) * 2), min(size[1], -(-(bottom + grow) // 2) * 2))


class _Planes:
    """numpy views of a frame's planes, and how a box in pixels maps onto each."""

    def __init__(self, frame: av.VideoFrame):
        self.frame = frame
        self.views = []
        for plane in frame.planes:
            step = 1 if frame.format.is_planar else len(frame.format.components)   # bytes per pixel
            view = np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)
            self.views.append((view[:, :plane.width * step], -(-frame.width // plane.width),
                               -(-frame.height // plane.height), step))

    def region(self, index: int, box: Box, origin: tuple[int, int] = (0, 0)) -> np.ndarray:
        view, fx, fy, step = self.views[index]
        left, top, right, bottom = box
        x0, y0 = origin
        return view[(top - y0) // fy:-(-(bottom - y0) // fy), (left - x0) // fx * step:-(-(right - x0) // fx) * step]

    def copy_from(self, other: _Planes, box: Box | None = None) -> None:
        for index, (view, *_rest) in enumerate(self.views):
            if box is None:
                np.copyto(view, other.views[index][0])
            else:
                self.region(index, box)[...] = other.region(index, box)


class _Work:
    """A working frame in the encoder's format: `plate` converted, with the frame's own pixels in `boxes`."""

    def __init__(self):
        self.planes: _Planes | None = None
        self.plate: np.ndarray | None = None
        self.boxes: list[Box] = []
        self.shown: list | None = None     # the sprites over the plate of the frame it holds, when known


class Converter:
    """convert(frame, plate, changed): the frame (an RGBA array) in `fmt`, where the frame equals the array
    `plate` outside the boxes `changed` (plate None: convert it all).

    Such a frame is patched into a working frame. With `frames` 1 there is one, reused by the next call: encode
    the frame before converting another. With more, each goes back for reuse on release(), and convert waits
    while all are out: frames can be converted on one thread (the composing one) while another encodes those
    converted before. A frame converted whole is the caller's own and needs no release."""

    def __init__(self, fmt: str, frames: int = 1):
        self.fmt = fmt
        self._reformatter = VideoReformatter()
        self._plates: OrderedDict[int, tuple[np.ndarray, _Planes]] = OrderedDict()
        self._single = _Work() if frames == 1 else None
        self._free: queue.SimpleQueue[_Work] = queue.SimpleQueue()
        for _ in range(frames if frames > 1 else 0):
            self._free.put(_Work())
        self._out: dict[int, _Work] = {}

    def _whole(self, array: np.ndarray, threads: int = 0) -> av.VideoFrame:
        """`array` converted; swscale's own threads (0: one per core) for a whole frame, one for a box: a box's
        context changes size from frame to frame, and each new one started and stopped its threads (some 20 a
        second in a render)."""
        return self._reformatter.reformat(wrap(array), format=self.fmt, threads=threads)

    def _plate(self, plate: np.ndarray) -> _Planes:
        hit = self._plates.get(id(plate))
        if hit is not None and hit[0] is plate:
            self._plates.move_to_end(id(plate))
            return hit[1]
        planes = _Planes(self._whole(plate))
        self._plates[id(plate)] = (plate, planes)   # holding the array keeps its id from being reused
        while len(self._plates) > PLATES_KEPT:
            self._plates.popitem(last=False)
        return planes

    def convert(self, frame: np.ndarray, plate: np.ndarray | None = None, changed: list[Box] = (),
                shown: list | None = None) -> av.VideoFrame:
        """`shown`: the sprites over the plate that make the frame (see composer.render.canvas.fewer_boxes); a
        working frame holding an earlier frame over the same plate is then converted again only where they differ,
        when that is less than the changed boxes (elsewhere both frames have the same pixels)."""
        if plate is None or frame.shape[0] % 2 or frame.shape[1] % 2:
            # (With an odd size the chroma grid does not halve the frame evenly: no box converts on its own.)
            return self._whole(frame)
        size = (frame.shape[1], frame.shape[0])
        source = self._plate(plate)
        work = self._single or self._free.get()
        redo = changed
        if work.planes is None:
            work.planes = _Planes(self._whole(plate))
        else:
            # The encoder may still hold this frame (QTRLE compares with it): then this copies it first.
            work.planes.frame.make_writable()
            work.planes = _Planes(work.planes.frame)
            differs = fewer_boxes(work.shown, shown, (0, 0, *size), changed) \
                if shown is not None and work.plate is plate else None
            if work.plate is not plate:
                work.planes.copy_from(source)
            elif differs is not None:
                redo = differs
            else:
                kept = [_even_out(box, KEEP, size) for box in changed]
                for box in outside([_even_out(box, KEEP, size) for box in work.boxes], kept):
                    work.planes.copy_from(source, box)
        for box in redo:
            keep = _even_out(box, KEEP, size)
            around = _even_out(box, MARGIN, size)
            part = _Planes(self._whole(frame[around[1]:around[3], around[0]:around[2]], threads=1))
            for index in range(len(work.planes.views)):
                work.planes.region(index, keep)[...] = part.region(index, keep, around[:2])
        work.plate, work.boxes, work.shown = plate, list(changed), shown
        if work is not self._single:
            self._out[id(work.planes.frame)] = work
        return work.planes.frame

    def release(self, frame: av.VideoFrame) -> None:
        """`frame` (from convert) is encoded: its working frame may be reused."""
        work = self._out.pop(id(frame), None)
        if work is not None:
            self._free.put(work)
