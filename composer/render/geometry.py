"""From the layout ("preview area") to output pixels: RESIZE scales, CROP cuts a window."""
from __future__ import annotations

from dataclasses import dataclass

from composer.spec import canvas_size


@dataclass(frozen=True)
class Geometry:
    layout: tuple[int, int]       # positions in the spec are measured here
    output: tuple[int, int]       # the video's pixel size
    scale: float                  # layout pixel -> output pixel
    origin: tuple[int, int]       # layout point at the output's top-left (CROP offset)
    super_resolution: bool = False

    def rect(self, box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
        """A layout rect (x, y, w, h) in output pixels, rounded so adjacent edges stay adjacent."""
        x, y, w, h = box
        left = round((x - self.origin[0]) * self.scale)
        top = round((y - self.origin[1]) * self.scale)
        right = round((x + w - self.origin[0]) * self.scale)
        bottom = round((y + h - self.origin[1]) * self.scale)
        return left, top, max(1, right - left), max(1, bottom - top)

    def rect_float(self, box):
        x, y, w, h = box
        return ((x - self.origin[0]) * self.scale, (y - self.origin[1]) * self.scale, w * self.scale,
                h * self.scale)


def scaled_to_width(geometry: Geometry, width: int, *, even: bool = True) -> Geometry:
    """The same picture at most `width` pixels wide, for quick previews: even sizes (as H.264 needs) unless
    `even` is off (a still `width` pixels wide exactly)."""
    if geometry.output[0] <= width:
        return geometry
    factor = width / geometry.output[0]
    step = 2 if even else 1
    size = tuple(max(step, round(side * factor / step) * step) for side in geometry.output)
    return Geometry(geometry.layout, size, geometry.scale * size[0] / geometry.output[0], geometry.origin, False)


def geometry_for(video_config: dict, model_layout: tuple[int, int] | None) -> Geometry:
    layout = canvas_size(video_config, model_layout)
    width, height = video_config["width"], video_config["height"]
    super_resolution = bool(video_config.get("is_enable_super_resolution"))
    if video_config.get("clip_mode") == "CROP":
        return Geometry(layout, (width, height), 1.0, (video_config.get("dx", 0), video_config.get("dy", 0)),
                        super_resolution)
    return Geometry(layout, (width, height), width / layout[0], (0, 0), super_resolution)
