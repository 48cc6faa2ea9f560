"""Frames composed in place, touching only what changes, in buffers the encoder reads without a copy.

A frame is its *plate* (the flattened layers that do not change on that frame: the background, static layers,
timed layers while fully shown, the caption) everywhere except inside the boxes of moving sprites (the avatar,
videos, layers fading in or out). Inside those boxes the frame is composed again from the layers below the
first moving one, every layer clipped to the box, in order, so the result is the same as composing the whole
frame. Plates are built once per set of unchanging sprites (a new caption or a timed layer appearing makes
another); the last two are kept (between two captions the frame goes back to the one without).

A Canvas is a numpy RGBA array with a Pillow image over the same memory: Pillow blends into it in place and
the encoder wraps the array without copying it. A canvas remembers the plate it holds, where it differs from it,
and the sprites it shows: a frame painted into a canvas that holds an earlier frame over the same plate is
composed again only where a sprite differs between the two (a presenter's idle pose, arms and mouth often stay
put from one frame to the next), so reusing a canvas costs what changed, not the frame.
"""
from __future__ import annotations

import queue
import threading
import weakref
from collections import OrderedDict

import numpy as np
from PIL import Image

Box = tuple[int, int, int, int]          # left, top, right, bottom (right and bottom exclusive)
Sprite = tuple[Image.Image, tuple[int, int]]
Layer = tuple[Sprite, bool]              # a sprite and whether it moves (changes from frame to frame)
PLATES_KEPT = 2
# Pasting a sprite through its alpha blends every pixel of its box, but half of a presenter's or a caption's box is
# transparent and most of the rest opaque. A sprite pasted again and again (the presenter's cached poses, a
# caption) is cut once into bands of PIECE_ROWS rows, each band into runs of columns: transparent (skipped),
# opaque (copied) and the rest (blended), runs narrower than PIECE_MIN_RUN joined to the blended ones.
PIECE_ROWS = 32
PIECE_MIN_RUN = 16
PIECE_MIN_PIXELS = 32 * 1024       # smaller sprites are pasted whole
PIECE_AFTER_USES = 2               # a sprite is cut on its second paste (half of them are pasted only once)
PIECE_BUDGET = 8 * 1024 * 1024     # bytes of pieces kept in a process, the most recently pasted sprites' (a 1080p
                                   # presenter pose's pieces are about 0.7 MB)
_EMPTY, _MIXED, _FULL = 0, 1, 2


class Canvas:
    """An RGBA frame: `array` (height, width, 4) and `image`, a Pillow image drawing into the same memory."""

    def __init__(self, size: tuple[int, int], fill: np.ndarray | None = None):
        width, height = size
        self.size = size
        self.array = np.empty((height, width, 4), np.uint8) if fill is None else np.array(fill, np.uint8)
        self.image = Image.frombuffer("RGBA", size, self.array, "raw", "RGBA", 0, 1)
        # frombuffer maps the array; Pillow would copy it on the first write unless told it may write through.
        self.image.readonly = 0
        self.plate: Plate | None = None     # what the canvas shows outside `dirty`
        self.dirty: list[Box] = []
        self.shown: list[Sprite] | None = None   # the sprites over the plate, bottom to top (see changed_between)

    def copy_from(self, source: np.ndarray, box: Box | None = None) -> None:
        if box is None:
            np.copyto(self.array, source)
        else:
            left, top, right, bottom = box
            self.array[top:bottom, left:right] = source[top:bottom, left:right]


class Plate(Canvas):
    """The frame as it is wherever nothing moves, for one set of unchanging sprites."""


class CanvasRing:
    """A few canvases passed between the composing thread and the encoder: take() one to compose into (waiting
    while the encoder holds them all), give() it back once encoded."""

    def __init__(self, size: tuple[int, int], count: int):
        self.free: queue.Queue[Canvas] = queue.Queue()
        for _ in range(count):
            self.free.put(Canvas(size))

    def take(self) -> Canvas:
        return self.free.get()

    def give(self, canvas: Canvas) -> None:
        self.free.put(canvas)


def sprite_box(sprite: Sprite) -> Box:
    image, (x, y) = sprite
    return x, y, x + image.size[0], y + image.size[1]


def intersect(a: Box, b: Box) -> Box | None:
    box = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    return box if box[0] < box[2] and box[1] < box[3] else None


def outside(boxes: list[Box], covers: list[Box]) -> list[Box]:
    """The parts of `boxes` that none of `covers` overlaps, as boxes (what is left to restore when the next
    frame draws its own boxes anyway)."""
    pieces = list(boxes)
    for cover in covers:
        rest: list[Box] = []
        for piece in pieces:
            inner = intersect(piece, cover)
            if inner is None:
                rest.append(piece)
                continue
            left, top, right, bottom = piece
            strips = [(left, top, right, inner[1]), (left, inner[3], right, bottom),
                      (left, inner[1], inner[0], inner[3]), (inner[2], inner[1], right, inner[3])]
            rest += [strip for strip in strips if strip[0] < strip[2] and strip[1] < strip[3]]
        pieces = rest
    return pieces


def disjoint_boxes(boxes: list[Box]) -> list[Box]:
    """Boxes merged until none overlap (each merged group becomes its bounding box)."""
    merged = list(boxes)
    changed = True
    while changed:
        changed = False
        out: list[Box] = []
        for box in merged:
            for i, other in enumerate(out):
                if intersect(box, other):
                    out[i] = (min(box[0], other[0]), min(box[1], other[1]), max(box[2], other[2]),
                              max(box[3], other[3]))
                    changed = True
                    break
            else:
                out.append(box)
        merged = out
    return merged


def area(boxes: list[Box]) -> int:
    return sum((right - left) * (bottom - top) for left, top, right, bottom in boxes)


def changed_between(old: list[Sprite] | None, new: list[Sprite], whole: Box) -> list[Box] | None:
    """Where two frames over the same plate can differ, as disjoint boxes inside `whole`: the boxes of the sprites
    that are not the same image at the same place, compared position by position in their bottom-to-top order
    (anywhere else both show the same sprites in the same order over the same plate). None when the lists differ in
    length. Holding `old` keeps its images, so an image still shown cannot be mistaken for a new one with its id."""
    if old is None or len(old) != len(new):
        return None
    boxes = []
    for before, after in zip(old, new, strict=True):
        if before[0] is after[0] and before[1] == after[1]:
            continue
        boxes += [box for sprite in (before, after) if (box := intersect(sprite_box(sprite), whole)) is not None]
    return disjoint_boxes(boxes)


def fewer_boxes(old: list[Sprite] | None, new: list[Sprite], whole: Box, boxes: list[Box]) -> list[Box] | None:
    """Where a buffer showing the sprites `old` must be drawn again to show `new` (changed_between), when that is
    less than `boxes`, what it would draw again otherwise; None when it is not."""
    changed = changed_between(old, new, whole)
    return changed if changed is not None and area(changed) < area(boxes) else None


Piece = tuple[int, int, Image.Image, bool]   # left, top (in the sprite), the piece, whether it is blended


def _runs(kinds: np.ndarray) -> list[tuple[int, int, int]]:
    """(start, stop, kind) runs of a band's column kinds, runs narrower than PIECE_MIN_RUN (other than transparent
    ones at the band's ends) made blended ones, neighbours of one kind joined."""
    edges = np.flatnonzero(np.diff(kinds)) + 1
    starts = [0, *edges.tolist()]
    stops = [*edges.tolist(), int(kinds.size)]
    runs: list[tuple[int, int, int]] = []
    for index, (start, stop) in enumerate(zip(starts, stops, strict=True)):
        kind = int(kinds[start])
        at_end = index in (0, len(starts) - 1)
        if stop - start < PIECE_MIN_RUN and not (kind == _EMPTY and at_end):
            kind = _MIXED
        if runs and runs[-1][2] == kind:
            runs[-1] = (runs[-1][0], stop, kind)
        else:
            runs.append((start, stop, kind))
    return runs


def cut_into_pieces(image: Image.Image) -> list[Piece]:
    """The sprite's opaque and partly transparent parts (see PIECE_ROWS): pasting them, the opaque ones without
    their alpha, gives what pasting the whole sprite through its alpha gives, bit for bit."""
    alpha = np.asarray(image.getchannel("A"))
    pieces: list[Piece] = []
    for top in range(0, alpha.shape[0], PIECE_ROWS):
        band = alpha[top:top + PIECE_ROWS]
        kinds = np.where((band == 255).all(axis=0), _FULL, np.where(band.any(axis=0), _MIXED, _EMPTY))
        for start, stop, kind in _runs(kinds):
            if kind != _EMPTY:
                pieces.append((start, top, image.crop((start, top, stop, top + band.shape[0])), kind == _MIXED))
    return pieces


class _PieceCache:
    """Each sprite's pieces, made on its PIECE_AFTER_USES-th paste and dropped with the sprite, or earlier when the
    pieces of more recently pasted sprites pass `budget` bytes (the sprites' own caches fill up over a long render:
    unbounded, their pieces made a three-minute render peak 1.16 times a ten-second one). Sprites are never drawn
    into once they are handed out (every cache of them holds finished images), so pieces stay true."""

    def __init__(self, budget: int):
        self.budget = budget
        self._entries: dict[int, list] = {}      # id(image) -> [weak reference, pastes so far, pieces or None]
        self._kept: OrderedDict[int, int] = OrderedDict()   # id(image) -> bytes of its pieces, oldest use first
        self._bytes = 0
        # Re-entrant: a sprite freed by a garbage collection that runs while this thread holds the lock (any
        # allocation may start one) calls _forget on this same thread.
        self._lock = threading.RLock()

    def pieces(self, image: Image.Image) -> list[Piece] | None:
        if image.size[0] * image.size[1] < PIECE_MIN_PIXELS or image.mode != "RGBA":
            return None
        key = id(image)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0]() is not image:
                entry = self._entries[key] = [weakref.ref(image, self._forget(key)), 0, None]
            entry[1] += 1
            if entry[2] is not None:
                self._kept.move_to_end(key)
                return entry[2]
            if entry[1] < PIECE_AFTER_USES:
                return None
        pieces = cut_into_pieces(image)
        size = sum(piece.size[0] * piece.size[1] * 4 for _, _, piece, _ in pieces)
        with self._lock:
            if self._entries.get(key) is entry and entry[2] is None:
                entry[2] = pieces
                self._kept[key] = size
                self._bytes += size
                while self._bytes > self.budget and len(self._kept) > 1:
                    oldest, freed = self._kept.popitem(last=False)
                    self._bytes -= freed
                    dropped = self._entries.get(oldest)
                    if dropped is not None:
                        dropped[1], dropped[2] = 0, None     # cut again if it is pasted again and again
        return pieces

    def _forget(self, key: int):
        def forget(reference) -> None:
            with self._lock:
                if self._entries.get(key, [None])[0] is reference:
                    del self._entries[key]
                    self._bytes -= self._kept.pop(key, 0)
        return forget

    def __len__(self) -> int:
        return len(self._entries)


PIECES = _PieceCache(PIECE_BUDGET)


def blend(canvas: Canvas, sprite: Sprite, clip: Box, opaque: bool) -> None:
    """Draw the sprite over the canvas, only inside `clip`. Over an opaque canvas, a paste through the sprite's
    alpha gives the colour "over" gives (the canvas's alpha is set back to opaque by the caller), piece by piece
    for a sprite pasted before (see PIECE_ROWS); otherwise Pillow's alpha_composite does the full operator."""
    image, (x, y) = sprite
    box = intersect(clip, (x, y, x + image.size[0], y + image.size[1]))
    if box is None:
        return
    if opaque:
        for left, top, piece, masked in PIECES.pieces(image) or [(0, 0, image, True)]:
            _paste(canvas, piece, (x + left, y + top), box, masked)
        return
    if box != (x, y, x + image.size[0], y + image.size[1]):
        image = image.crop((box[0] - x, box[1] - y, box[2] - x, box[3] - y))
    canvas.image.alpha_composite(image, box[:2])


def _paste(canvas: Canvas, piece: Image.Image, at: tuple[int, int], clip: Box, masked: bool) -> None:
    """Paste `piece` at `at`, only inside `clip`: through its alpha when `masked`, otherwise copied whole."""
    x, y = at
    whole = (x, y, x + piece.size[0], y + piece.size[1])
    box = intersect(clip, whole)
    if box is None:
        return
    if box != whole:
        piece = piece.crop((box[0] - x, box[1] - y, box[2] - x, box[3] - y))
    canvas.image.paste(piece, box[:2], piece if masked else None)


def make_opaque(canvas: Canvas, box: Box | None = None) -> None:
    left, top, right, bottom = box or (0, 0, *canvas.size)
    canvas.array[top:bottom, left:right, 3] = 255


class FramePainter:
    """Composes frames of one scene from its base (the layers below every moving one, flattened) and each
    frame's layers, bottom to top. `opaque`: the base is opaque, so every frame is."""

    def __init__(self, base: Image.Image, opaque: bool):
        self.base = Canvas(base.size, np.asarray(base))   # (RGBA, as the compositor makes it)
        self.opaque = opaque
        self.size = base.size
        self._plates: OrderedDict[tuple, tuple[Plate, list]] = OrderedDict()

    def plate(self, layers: list[Layer]) -> Plate:
        """The plate for this frame's unchanging sprites (built on first use; the last few are kept)."""
        still = [sprite for sprite, moving in layers if not moving]
        key = tuple((id(image), at) for image, at in still)
        hit = self._plates.get(key)
        if hit is not None:
            self._plates.move_to_end(key)
            return hit[0]
        plate = Plate(self.size, self.base.array)
        whole = (0, 0, *self.size)
        for sprite in still:
            blend(plate, sprite, whole, self.opaque)
        if self.opaque:
            make_opaque(plate)
        # The sprites are held with the plate, so their ids in the key cannot be reused while it is kept.
        self._plates[key] = (plate, still)
        while len(self._plates) > PLATES_KEPT:
            self._plates.popitem(last=False)
        return plate

    def paint(self, canvas: Canvas, layers: list[Layer]) -> Canvas:
        """Compose the frame into `canvas` (which may hold an earlier frame of this painter) and return it: over the
        same plate, only where the sprites differ from the ones it shows when that is less than its moving boxes."""
        plate = self.plate(layers)
        whole = (0, 0, *self.size)
        boxes = [box for sprite, moving in layers if moving
                 if (box := intersect(sprite_box(sprite), whole)) is not None]
        boxes = disjoint_boxes(boxes)
        shown = [sprite for sprite, _ in layers]
        redraw = boxes
        if canvas.plate is plate:
            changed = fewer_boxes(canvas.shown, shown, whole, boxes)
            if changed is not None:
                redraw = changed
            else:
                for box in outside(canvas.dirty, boxes):
                    canvas.copy_from(plate.array, box)
        else:
            canvas.copy_from(plate.array)
        for box in redraw:
            canvas.copy_from(self.base.array, box)
            for sprite in shown:
                blend(canvas, sprite, box, self.opaque)
            if self.opaque:
                make_opaque(canvas, box)
        canvas.plate, canvas.dirty, canvas.shown = plate, boxes, shown
        return canvas
