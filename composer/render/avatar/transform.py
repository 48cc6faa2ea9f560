"""2D affine transforms of cut-out parts: matrices in rig-canvas pixels, and applying them to cropped images."""
from __future__ import annotations

import math

from PIL import Image

Matrix = tuple[float, float, float, float, float, float]   # x' = a x + b y + c ; y' = d x + e y + f

IDENTITY: Matrix = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
VISIBLE_MARGIN = 2


def translation(dx: float, dy: float) -> Matrix:
    return (1.0, 0.0, dx, 0.0, 1.0, dy)


def rotation_about(pivot: tuple[float, float], degrees: float, dx: float = 0.0, dy: float = 0.0) -> Matrix:
    """Counter-clockwise (as seen on screen) rotation about pivot, then a translation."""
    r = math.radians(degrees)
    cos, sin = math.cos(r), math.sin(r)
    px, py = pivot
    # Screen y points down, so a turn that looks counter-clockwise is x' = x cos + y sin, y' = -x sin + y cos.
    return (cos, sin, px - cos * px - sin * py + dx, -sin, cos, py + sin * px - cos * py + dy)


def compose(outer: Matrix, inner: Matrix) -> Matrix:
    """The matrix applying `inner` first, then `outer`."""
    a1, b1, c1, d1, e1, f1 = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (a1 * a2 + b1 * d2, a1 * b2 + b1 * e2, a1 * c2 + b1 * f2 + c1,
            d1 * a2 + e1 * d2, d1 * b2 + e1 * e2, d1 * c2 + e1 * f2 + f1)


def invert(m: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    det = a * e - b * d
    return (e / det, -b / det, (b * f - c * e) / det, -d / det, a / det, (c * d - a * f) / det)


def is_whole_shift(m: Matrix) -> bool:
    a, b, c, d, e, f = m
    return (abs(a - 1) < 1e-9 and abs(e - 1) < 1e-9 and abs(b) < 1e-9 and abs(d) < 1e-9
            and abs(c - round(c)) < 1e-6 and abs(f - round(f)) < 1e-6)


def transform_image(image: Image.Image, origin: tuple[int, int], matrix: Matrix) -> tuple[Image.Image, tuple[int, int]]:
    """Apply a canvas-space matrix to a cropped RGBA image at `origin`; returns the result, cropped to what is
    visible, and its top-left.

    Whole-pixel shifts only move the origin; anything else is resampled bilinear (turns here are small, and
    bicubic costs several times as much), premultiplied so that the transparent surroundings do not bleed a
    dark fringe into the edges.
    """
    if is_whole_shift(matrix):
        return image, (origin[0] + round(matrix[2]), origin[1] + round(matrix[5]))
    # Only the visible part is resampled, with VISIBLE_MARGIN transparent pixels around it: bilinear reads one pixel
    # around a point and nothing outside the image, so the result is the same, bit for bit, for a fraction of the
    # work (a composed head has room around it for every eye state and brow shift).
    visible = image.getchannel("A").getbbox()
    if visible is None:
        return image, origin
    crop = (max(0, visible[0] - VISIBLE_MARGIN), max(0, visible[1] - VISIBLE_MARGIN),
            min(image.size[0], visible[2] + VISIBLE_MARGIN), min(image.size[1], visible[3] + VISIBLE_MARGIN))
    if crop != (0, 0, *image.size):
        image, origin = image.crop(crop), (origin[0] + crop[0], origin[1] + crop[1])
    a, b, c, d, e, f = matrix
    w, h = image.size
    ox, oy = origin
    corners = [(ox, oy), (ox + w, oy), (ox, oy + h), (ox + w, oy + h)]
    xs = [a * x + b * y + c for x, y in corners]
    ys = [d * x + e * y + f for x, y in corners]
    left, top = math.floor(min(xs)), math.floor(min(ys))
    width, height = math.ceil(max(xs)) - left, math.ceil(max(ys)) - top
    ia, ib, ic, id_, ie, if_ = invert(matrix)
    # Output pixel (u, v) is canvas (u + left, v + top); map it back to the crop's own pixel coordinates.
    data = (ia, ib, ia * left + ib * top + ic - ox, id_, ie, id_ * left + ie * top + if_ - oy)
    moved = image.convert("RGBa").transform((width, height), Image.Transform.AFFINE, data,
                                            resample=Image.Resampling.BILINEAR).convert("RGBA")
    # Kept in caches of placed poses: without its transparent rim, more of them fit.
    box = moved.getchannel("A").getbbox()
    if box is None:
        return moved.crop((0, 0, 1, 1)), (left, top)
    return (moved if box == (0, 0, width, height) else moved.crop(box)), (left + box[0], top + box[1])


def paste_over(canvas: Image.Image, image: Image.Image, at: tuple[int, int]) -> None:
    """alpha_composite that tolerates pieces reaching past the canvas edge."""
    x, y = at
    if x >= 0 and y >= 0 and x + image.size[0] <= canvas.size[0] and y + image.size[1] <= canvas.size[1]:
        canvas.alpha_composite(image, (x, y))
        return
    left, top = max(0, -x), max(0, -y)
    right = min(image.size[0], canvas.size[0] - x)
    bottom = min(image.size[1], canvas.size[1] - y)
    if right > left and bottom > top:
        canvas.alpha_composite(image.crop((left, top, right, bottom)), (x + left, y + top))
