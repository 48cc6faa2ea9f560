"""Drawing toolkit for the built-in presenters: supersampled layers in design units, smooth outlines, soft
shading (blurred masks, inner edges for form shadow and rim light) and gradients.

All artwork is drawn in design units on a 1360x1440 canvas; a layer's `unit` scales that to its native pixel
size (1.0 for a 1360x1440 rig, 1.2 for 1632x1728), and everything is drawn SUPERSAMPLE times larger and
downsampled with LANCZOS for clean anti-aliased edges.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

Point = tuple[float, float]
DESIGN = (1360, 1440)
SUPERSAMPLE = 3


def bezier(p0: Point, p1: Point, p2: Point, p3: Point, steps: int = 24) -> list[Point]:
    """Points along a cubic bezier, both ends included."""
    points = []
    for i in range(steps + 1):
        t = i / steps
        a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3
        points.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return points


def chain(*segments: Sequence[Point]) -> list[Point]:
    """Join segments into one outline; a segment's first point repeats the previous end."""
    out: list[Point] = []
    for segment in segments:
        out.extend(segment if not out else segment[1:])
    return out


def smooth(points: Sequence[Point], steps: int = 12, closed: bool = True) -> list[Point]:
    """A smooth outline through points (Catmull-Rom); closed outlines wrap around."""
    pts = list(points)
    n = len(pts)
    out: list[Point] = []
    last = n if closed else n - 1
    for i in range(last):
        if closed:
            p0, p1, p2, p3 = pts[(i - 1) % n], pts[i], pts[(i + 1) % n], pts[(i + 2) % n]
        else:
            p0, p1, p2, p3 = pts[max(i - 1, 0)], pts[i], pts[i + 1], pts[min(i + 2, n - 1)]
        for s in range(steps):
            t = s / steps
            t2, t3 = t * t, t * t * t
            out.append(tuple(0.5 * (2 * p1[k] + (-p0[k] + p2[k]) * t + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t2
                                    + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t3) for k in range(2)))
    if not closed:
        out.append(pts[-1])
    return out


def mirror(points: Sequence[Point], axis: float = DESIGN[0] / 2) -> list[Point]:
    return [(2 * axis - x, y) for x, y in points]


def limb_frame(joint: Point, degrees: float):
    """A function mapping limb-local (u across, v along) to design coordinates: the limb hangs from `joint`
    and is turned counter-clockwise (as seen) by `degrees` from pointing straight down."""
    r = math.radians(degrees)
    cos, sin = math.cos(r), math.sin(r)

    def to_design(u: float, v: float) -> Point:
        return joint[0] + u * cos + v * sin, joint[1] - u * sin + v * cos

    return to_design


def hex_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


class Layer:
    """One RGBA layer covering `box` (design units) of the canvas, drawn at SUPERSAMPLE x unit resolution."""

    def __init__(self, box: tuple[float, float, float, float] = (0, 0, *DESIGN), unit: float = 1.0,
                 supersample: int = SUPERSAMPLE):
        self.unit = unit
        self.k = supersample * unit
        # Snap the box so that it maps to whole native pixels.
        self.box = tuple(math.floor(v * unit) / unit if i < 2 else math.ceil(v * unit) / unit
                         for i, v in enumerate(box))
        x0, y0, x1, y1 = self.box
        self.size = (round((x1 - x0) * self.k), round((y1 - y0) * self.k))
        self.image = Image.new("RGBA", self.size, (0, 0, 0, 0))

    def _px(self, points: Sequence[Point]) -> list[Point]:
        x0, y0 = self.box[0], self.box[1]
        return [((x - x0) * self.k, (y - y0) * self.k) for x, y in points]

    # --- masks ---------------------------------------------------------------------------------------------------
    def blank(self) -> Image.Image:
        return Image.new("L", self.size, 0)

    def poly(self, points: Sequence[Point]) -> Image.Image:
        mask = self.blank()
        ImageDraw.Draw(mask).polygon(self._px(points), fill=255)
        return mask

    def ellipse(self, box: tuple[float, float, float, float]) -> Image.Image:
        mask = self.blank()
        (a, b), (c, d) = self._px([(box[0], box[1]), (box[2], box[3])])
        ImageDraw.Draw(mask).ellipse((a, b, c, d), fill=255)
        return mask

    def line(self, points: Sequence[Point], width: float, taper: bool = False) -> Image.Image:
        """A round-capped stroke; with taper the width falls to a third at both ends (brush-like)."""
        mask = self.blank()
        draw = ImageDraw.Draw(mask)
        pts = self._px(points)
        n = len(pts)
        for i in range(n - 1):
            f = 1.0 if not taper else 0.35 + 0.65 * math.sin(math.pi * (i + 0.5) / (n - 1))
            w = width * self.k * f
            draw.line([pts[i], pts[i + 1]], fill=255, width=max(1, round(w)))
            r = w / 2
            draw.ellipse((pts[i + 1][0] - r, pts[i + 1][1] - r, pts[i + 1][0] + r, pts[i + 1][1] + r), fill=255)
        if not taper:
            r = width * self.k / 2
            draw.ellipse((pts[0][0] - r, pts[0][1] - r, pts[0][0] + r, pts[0][1] + r), fill=255)
        return mask

    def segments(self, pairs: Sequence[tuple[Point, Point]], width: float) -> Image.Image:
        """Many short round-capped strokes on one mask (hair texture), in one pass."""
        mask = self.blank()
        draw = ImageDraw.Draw(mask)
        w = max(1, round(width * self.k))
        r = w / 2
        for a, b in pairs:
            (ax, ay), (bx, by) = self._px([a, b])
            draw.line([(ax, ay), (bx, by)], fill=255, width=w)
            draw.ellipse((bx - r, by - r, bx + r, by + r), fill=255)
        return mask

    def shift(self, mask: Image.Image, dx: float, dy: float) -> Image.Image:
        return ImageChops.offset(mask, round(dx * self.k), round(dy * self.k))

    def edge(self, mask: Image.Image, dx: float, dy: float) -> Image.Image:
        """The band of `mask` not covered by itself moved by (dx, dy): the rim on the side away from the move."""
        moved = self.shift(mask, dx, dy)
        return ImageChops.subtract(mask, moved)

    @staticmethod
    def union(*masks: Image.Image) -> Image.Image:
        out = masks[0]
        for mask in masks[1:]:
            out = ImageChops.lighter(out, mask)
        return out

    @staticmethod
    def minus(mask: Image.Image, cut: Image.Image) -> Image.Image:
        return ImageChops.subtract(mask, cut)

    @staticmethod
    def both(mask: Image.Image, other: Image.Image) -> Image.Image:
        return ImageChops.multiply(mask, other)

    # --- paint ---------------------------------------------------------------------------------------------------
    def paint(self, mask: Image.Image, color: str, alpha: int = 255, blur: float = 0,
              clip: Image.Image | None = None) -> None:
        """Colour where `mask` is set, softened by `blur` (design units) and kept inside `clip`."""
        box = mask.getbbox()
        if box is None:
            return
        pad = math.ceil(blur * self.k * 3) + 2
        box = (max(0, box[0] - pad), max(0, box[1] - pad), min(self.size[0], box[2] + pad),
               min(self.size[1], box[3] + pad))
        part = mask.crop(box)
        if blur:
            part = part.filter(ImageFilter.GaussianBlur(blur * self.k))
        if alpha != 255:
            part = part.point(lambda v: v * alpha // 255)
        if clip is not None:
            part = ImageChops.multiply(part, clip.crop(box))
        fill = Image.new("RGBA", part.size, (*hex_rgb(color), 255))
        fill.putalpha(part)
        self.image.alpha_composite(fill, (box[0], box[1]))

    def fill(self, points: Sequence[Point], color: str, **kw) -> Image.Image:
        mask = self.poly(points)
        self.paint(mask, color, **kw)
        return mask

    def oval(self, box: tuple[float, float, float, float], color: str, **kw) -> Image.Image:
        mask = self.ellipse(box)
        self.paint(mask, color, **kw)
        return mask

    def stroke(self, points: Sequence[Point], color: str, width: float, taper: bool = False, **kw) -> Image.Image:
        mask = self.line(points, width, taper)
        self.paint(mask, color, **kw)
        return mask

    def gradient(self, mask: Image.Image, start: Point, end: Point, first: str, last: str, alpha: int = 255) -> None:
        """A linear gradient from `first` at `start` to `last` at `end` (design units), inside `mask`."""
        box = mask.getbbox()
        if box is None:
            return
        (sx, sy), (ex, ey) = self._px([start, end])
        dx, dy = ex - sx, ey - sy
        length2 = dx * dx + dy * dy or 1.0
        ys, xs = np.mgrid[box[1]:box[3], box[0]:box[2]].astype(np.float32)
        t = np.clip(((xs - sx) * dx + (ys - sy) * dy) / length2, 0.0, 1.0)
        t = t * t * (3 - 2 * t)
        a, b = np.array(hex_rgb(first), np.float32), np.array(hex_rgb(last), np.float32)
        rgb = a + (b - a) * t[..., None]
        coverage = np.asarray(mask.crop(box), np.float32) * (alpha / 255)
        pixels = np.dstack([rgb, coverage]).round().astype(np.uint8)
        self.image.alpha_composite(Image.fromarray(pixels, "RGBA"), (box[0], box[1]))

    def shade(self, mask: Image.Image, dx: float, dy: float, color: str, alpha: int, blur: float,
              clip: Image.Image | None = None) -> None:
        """Form shading: colour the inner band of `mask` on the side opposite to (dx, dy), softened."""
        self.paint(self.edge(mask, dx, dy), color, alpha=alpha, blur=blur, clip=mask if clip is None else clip)

    def done(self) -> Image.Image:
        """The layer at native resolution on the full (native) canvas."""
        native = (round(DESIGN[0] * self.unit), round(DESIGN[1] * self.unit))
        width = round((self.box[2] - self.box[0]) * self.unit)
        height = round((self.box[3] - self.box[1]) * self.unit)
        small = self.image.convert("RGBa").resize((width, height), Image.Resampling.LANCZOS).convert("RGBA")
        canvas = Image.new("RGBA", native, (0, 0, 0, 0))
        canvas.paste(small, (round(self.box[0] * self.unit), round(self.box[1] * self.unit)))
        return canvas


def ribbon(centre: Sequence[Point], start_width: float, middle_width: float, end_width: float) -> list[Point]:
    """An outline around a centre line whose width goes start -> middle -> end (brows, lids, strands)."""
    n = len(centre)
    left: list[Point] = []
    right: list[Point] = []
    for i, (x, y) in enumerate(centre):
        ax, ay = centre[max(i - 1, 0)]
        bx, by = centre[min(i + 1, n - 1)]
        tx, ty = bx - ax, by - ay
        norm = math.hypot(tx, ty) or 1.0
        nx, ny = -ty / norm, tx / norm
        f = i / (n - 1)
        w = start_width + (middle_width - start_width) * f * 2 if f < 0.5 else \
            middle_width + (end_width - middle_width) * (f - 0.5) * 2
        left.append((x + nx * w / 2, y + ny * w / 2))
        right.append((x - nx * w / 2, y - ny * w / 2))
    return left + right[::-1]
