"""Drawing helpers for the built-in presenters: supersampled layers, bezier outlines, soft shading."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from PIL import Image, ImageChops, ImageDraw, ImageFilter

Point = tuple[float, float]
SUPERSAMPLE = 3


def bezier(p0: Point, p1: Point, p2: Point, p3: Point, steps: int = 24) -> list[Point]:
    points = []
    for i in range(steps + 1):
        t = i / steps
        a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3
        points.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return points


def path(*segments: Sequence[Point]) -> list[Point]:
    """Join bezier/line segments into one outline (each segment's first point repeats the previous end)."""
    out: list[Point] = []
    for segment in segments:
        out.extend(segment if not out else segment[1:])
    return out


def curve(points: Sequence[Point], steps: int = 16) -> list[Point]:
    """A smooth closed-ish outline through points (Catmull-Rom)."""
    out: list[Point] = []
    n = len(points)
    for i in range(n - 1):
        p0, p1, p2, p3 = points[max(i - 1, 0)], points[i], points[i + 1], points[min(i + 2, n - 1)]
        for s in range(steps):
            t = s / steps
            t2, t3 = t * t, t * t * t
            x = 0.5 * (2 * p1[0] + (-p0[0] + p2[0]) * t + (2 * p0[0] - 5 * p1[0] + 4 * p2[0] - p3[0]) * t2
                       + (-p0[0] + 3 * p1[0] - 3 * p2[0] + p3[0]) * t3)
            y = 0.5 * (2 * p1[1] + (-p0[1] + p2[1]) * t + (2 * p0[1] - 5 * p1[1] + 4 * p2[1] - p3[1]) * t2
                       + (-p0[1] + 3 * p1[1] - 3 * p2[1] + p3[1]) * t3)
            out.append((x, y))
    out.append(points[-1])
    return out


def hex_rgba(color: str, alpha: int = 255) -> tuple[int, int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16), alpha


class Layer:
    """One RGBA layer drawn at SUPERSAMPLE times the native size, in native coordinates."""

    def __init__(self, size: tuple[int, int]):
        self.size = size
        self.image = Image.new("RGBA", (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE), (0, 0, 0, 0))

    def _scaled(self, points: Iterable[Point]) -> list[Point]:
        return [(x * SUPERSAMPLE, y * SUPERSAMPLE) for x, y in points]

    def mask(self, points: Iterable[Point] | None = None, ellipse: tuple | None = None, width: float = 0) -> Image.Image:
        mask = Image.new("L", self.image.size, 0)
        draw = ImageDraw.Draw(mask)
        if ellipse is not None:
            x0, y0, x1, y1 = (v * SUPERSAMPLE for v in ellipse)
            draw.ellipse((x0, y0, x1, y1), fill=255)
        elif width:
            draw.line(self._scaled(points), fill=255, width=int(width * SUPERSAMPLE), joint="curve")
            r = width * SUPERSAMPLE / 2
            pts = self._scaled(points)
            for x, y in (pts[0], pts[-1]):
                draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
        else:
            draw.polygon(self._scaled(points), fill=255)
        return mask

    def paint(self, mask: Image.Image, color: str, alpha: int = 255, blur: float = 0,
              clip: Image.Image | None = None) -> None:
        if blur:
            mask = mask.filter(ImageFilter.GaussianBlur(blur * SUPERSAMPLE))
        if alpha != 255:
            mask = mask.point(lambda v: v * alpha // 255)
        if clip is not None:
            mask = ImageChops.multiply(mask, clip)
        fill = Image.new("RGBA", self.image.size, hex_rgba(color))
        fill.putalpha(mask)
        self.image.alpha_composite(fill)

    def fill(self, points: Iterable[Point], color: str, **kw) -> Image.Image:
        mask = self.mask(list(points))
        self.paint(mask, color, **kw)
        return mask

    def oval(self, box: tuple, color: str, **kw) -> Image.Image:
        mask = self.mask(ellipse=box)
        self.paint(mask, color, **kw)
        return mask

    def stroke(self, points: Iterable[Point], color: str, width: float, **kw) -> None:
        self.paint(self.mask(list(points), width=width), color, **kw)

    def gradient(self, clip: Image.Image, top: str, bottom: str, y0: float, y1: float) -> None:
        """A vertical gradient from `top` at y0 to `bottom` at y1 inside `clip`."""
        height = self.image.size[1]
        ramp = Image.linear_gradient("L").resize((1, 256))
        column = Image.new("L", (1, height), 0)
        a, b = int(y0 * SUPERSAMPLE), int(y1 * SUPERSAMPLE)
        column.paste(ramp.resize((1, max(1, b - a))), (0, max(0, a)))
        if b < height:
            column.paste(255, (0, b, 1, height))
        blend = column.resize(self.image.size)
        top_img = Image.new("RGBA", self.image.size, hex_rgba(top))
        bottom_img = Image.new("RGBA", self.image.size, hex_rgba(bottom))
        mixed = Image.composite(bottom_img, top_img, blend)
        mixed.putalpha(clip)
        self.image.alpha_composite(mixed)

    def done(self) -> Image.Image:
        return self.image.resize(self.size, Image.LANCZOS)
