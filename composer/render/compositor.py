"""One compositor for preview thumbnails and final frames.

Per scene: the background and every static layer below the first moving one are flattened once into a plate;
runs of static layers above are flattened into overlays. Per frame, layers() lists what lies above the plate,
marking what moves (the avatar, videos, timed layers while fading: the `timing` extension puts a layer on
screen within a window, faded in and out); composer.render.canvas composes only inside the boxes of moving
sprites, over a plate that holds everything else (overlays, the caption, timed layers while fully shown).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

from composer.render.avatar import Performance, Rig, open_rig
from composer.render.avatar.rig import Part
from composer.render.canvas import Canvas, FramePainter, Layer
from composer.render.geometry import Geometry
from composer.render.layers import DRAWERS, SceneContext, open_image
from composer.spec.framing import FigureMetrics, frame_figure, human_box
from composer.spec.transparency import CHECKER_CELL, CHECKER_COLORS, FLAT_FILL

DEFAULT_BACKGROUND = FLAT_FILL   # the reference's background_color_config default; what H.264 shows for "none"
Sprite = tuple[Image.Image, tuple[int, int]]


def paste(canvas: Image.Image, image: Image.Image, at: tuple[int, int]) -> None:
    """alpha_composite clipped to the canvas (sprites may reach past its edges)."""
    x, y = at
    width, height = canvas.size
    if x >= width or y >= height or x + image.size[0] <= 0 or y + image.size[1] <= 0:
        return
    if x < 0 or y < 0 or x + image.size[0] > width or y + image.size[1] > height:
        left, top = max(0, -x), max(0, -y)
        image = image.crop((left, top, min(image.size[0], width - x), min(image.size[1], height - y)))
        x, y = x + left, y + top
    canvas.alpha_composite(image, (x, y))


def flatten(size: tuple[int, int], sprites: list[Sprite]) -> Sprite | None:
    """Several static sprites as one, cropped to what they cover."""
    if not sprites:
        return None
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    for image, at in sprites:
        paste(canvas, image, at)
    box = canvas.getchannel("A").getbbox()
    return None if box is None else (canvas.crop(box), (box[0], box[1]))


@lru_cache(maxsize=8)
def _checkerboard(size: tuple[int, int], cell: int) -> Image.Image:
    columns, rows = -(-size[0] // cell), -(-size[1] // cell)
    light, dark = (Image.new("RGB", (1, 1), color).getpixel((0, 0)) for color in CHECKER_COLORS)
    small = Image.new("RGB", (columns, rows))
    small.putdata([dark if (x + y) % 2 else light for y in range(rows) for x in range(columns)])
    return small.resize((columns * cell, rows * cell), Image.NEAREST).crop((0, 0, *size))


def on_checkerboard(image: Image.Image, scale: float = 1.0) -> Image.Image:
    """An RGB picture of a frame with alpha for people to look at: see-through parts over the checkerboard the
    editor draws (CHECKER_CELL layout pixels; `scale` = image pixels per layout pixel)."""
    board = _checkerboard(image.size, max(2, round(CHECKER_CELL * scale))).convert("RGBA")
    board.alpha_composite(image.convert("RGBA"))
    return board.convert("RGB")


def background_image(scene: dict, geometry: Geometry, resolver) -> Image.Image:
    size = geometry.output
    configs = scene.get("background_config") or []
    if not configs:
        return Image.new("RGBA", size, (0, 0, 0, 0))
    config = configs[0]
    if config["background_type"] == "COLOR":
        return Image.new("RGBA", size, config.get("background_color_config") or DEFAULT_BACKGROUND)
    path = resolver.asset_path(config["background_asset_id"], "IMAGE") if config.get("background_asset_id") \
        else resolver.url_path(config["background_config"])
    source = open_image(path).convert("RGBA")
    box = config.get("background_image_config")
    if box:
        rect = (box["dx"], box["dy"], box["width"], box["height"])
    else:
        # Cover-fit, centred: the image always fills the preview area.
        layout_w, layout_h = geometry.layout
        scale = max(layout_w / source.size[0], layout_h / source.size[1])
        width, height = source.size[0] * scale, source.size[1] * scale
        rect = ((layout_w - width) / 2, (layout_h - height) / 2, width, height)
    left, top, width, height = geometry.rect(rect)
    canvas = Image.new("RGBA", size, DEFAULT_BACKGROUND)
    paste(canvas, source.resize((width, height), Image.LANCZOS), (left, top))
    return canvas


def _lift(rig: Rig, part: Part) -> float:
    """How far the part's lowest row may rise above its rest (native px): breathing, clip offsets and turns
    of the part and its parents."""
    lift = 0.0
    bottom = part.origin[1] + part.image.size[1]
    cursor: Part | None = part
    while cursor is not None:
        tracks = [clip.tracks.get(cursor.name, {}) for clip in rig.clips.values()]
        rise = max([0.0] + [-value for track in tracks for _, value in track.get("dy", [])])
        if cursor.name == "torso":
            rise += rig.idle.get("breath_pixels", 3.0)
        turn = math.radians(min(90.0, max([0.0] + [abs(v) for track in tracks for _, v in track.get("rotate", [])])))
        if turn:
            reach = max(abs(part.origin[0] - cursor.pivot[0]),
                        abs(part.origin[0] + part.image.size[0] - cursor.pivot[0]))
            lift += reach * math.sin(turn) + max(0.0, bottom - cursor.pivot[1]) * (1 - math.cos(turn))
        lift += rise
        cursor = rig.parts.get(cursor.parent) if cursor.parent else None
    return lift


def figure_metrics(rig: Rig) -> FigureMetrics:
    """The figure's rest-pose extents on its canvas, read from the rig's layers (each is cropped to its opaque
    box), and its default cut line: where the rig's layout ends under default_box."""
    pieces = [(part.image, part.origin) for part in rig.parts.values()]
    pieces += list(rig.eyes.values()) + list(rig.mouths.values())
    lowest = max(rig.parts.values(), key=lambda part: part.origin[1] + part.image.size[1])
    art_bottom = lowest.origin[1] + lowest.image.size[1]
    _, dy, box_w, _ = rig.default_box
    # default_box's width sets the default scale (its height follows), so the cut is measured with it.
    cut = min(art_bottom, (rig.layout[1] - dy) * rig.size[0] / box_w)
    return FigureMetrics(
        canvas=rig.size, layout=rig.layout, default_box=rig.default_box,
        top=min(origin[1] for _, origin in pieces), cut=round(cut, 2),
        bottom=round(art_bottom - _lift(rig, lowest) - 1, 2),
        left=min(origin[0] for _, origin in pieces),
        right=max(origin[0] + image.size[0] for image, origin in pieces))


@dataclass
class Window:
    """A layer's time on screen (the `timing` extension) in scene seconds; `end` None = until the scene ends."""
    start: float
    end: float | None
    fade_in: float
    fade_out: float

    def bounds(self, duration: float) -> tuple[float, float, float, float]:
        """(start, end, fade_in, fade_out) cut to a scene of `duration` s; fades shrink evenly if they no longer fit."""
        end = duration if self.end is None else min(self.end, duration)
        span = max(0.0, end - self.start)
        fade_in, fade_out = self.fade_in, self.fade_out
        if fade_in + fade_out > span > 0:
            fade_in, fade_out = fade_in * span / (fade_in + fade_out), fade_out * span / (fade_in + fade_out)
        return self.start, end, fade_in, fade_out

    def alpha(self, t, duration: float):
        """The layer's opacity factor at scene time t (a float, or an array of times): 0 outside the window,
        rising linearly over fade_in from start and falling over fade_out to end."""
        start, end, fade_in, fade_out = self.bounds(duration)
        t = np.asarray(t, dtype=np.float64)
        level = np.ones_like(t)
        if fade_in > 0:
            level = np.minimum(level, (t - start) / fade_in)
        if fade_out > 0:
            level = np.minimum(level, (end - t) / fade_out)
        level = np.where((t >= start) & (t < end), np.clip(level, 0.0, 1.0), 0.0)
        return float(level) if level.ndim == 0 else level


def layer_window(layer: dict) -> Window | None:
    """The layer's Window, or None when it shows for the whole scene (no timing, or timing that changes nothing)."""
    timing = layer.get("timing")
    if not timing or layer.get("layer_type") == "HUMAN":
        return None
    window = Window(float(timing.get("start") or 0.0), timing.get("end"), float(timing.get("fade_in") or 0.0),
                    float(timing.get("fade_out") or 0.0))
    if window.start <= 0 and window.end is None and not window.fade_in and not window.fade_out:
        return None
    return window


class TimedDrawer:
    """A layer drawn only inside its Window, its alpha multiplied by the fade; a video's clock starts at `start`.
    Counts as moving, so it never joins the plate."""

    dynamic = True

    def __init__(self, drawer, window: Window, duration: float):
        self.drawer = drawer
        self.window = window
        self.duration = duration

    def steady(self, t: float) -> bool:
        """Whether the sprite at t is the layer's own unchanging one (a static layer, fully shown)."""
        return not self.drawer.dynamic and self.window.alpha(t, self.duration) >= 1

    def sprite(self, t: float) -> Sprite | None:
        level = self.window.alpha(t, self.duration)
        if level <= 0:
            return None
        sprite = self.drawer.sprite(t - self.window.start) if self.drawer.dynamic else self.drawer.sprite()
        if sprite is None or level >= 1:
            return sprite
        image, at = sprite
        faded = image.copy()
        faded.putalpha(image.getchannel("A").point(lambda value: round(value * level)))
        return faded, at


@dataclass
class AvatarPlan:
    """What the HUMAN layer needs: the rig, where it goes (output pixels) and the scene's choreography."""
    rig_path: Path
    mouth: list
    actions: list
    duration: float
    action_interval: float | None
    end_at_first_frame: bool
    seed: int


class SceneCompositor:
    def __init__(self, spec: dict, scene: dict, geometry: Geometry, resolver, avatar: AvatarPlan,
                 duration: float, *, transparent: bool):
        self.geometry = geometry
        self.avatar = avatar
        self.rig = open_rig(avatar.rig_path)
        ctx = SceneContext(geometry, resolver, duration, performance_for=self._performance)
        layers = list(scene.get("layer_config") or [])
        if not any(layer["layer_type"] == "HUMAN" for layer in layers):
            layers.insert(0, {"layer_type": "HUMAN", "position": {"layer_index": 0}})
        layers.sort(key=lambda layer: (layer.get("position") or {}).get("layer_index", 100))
        drawers = []
        self.video_drawers = []
        self.timed: list[TimedDrawer] = []
        self.video_starts: dict[int, TimedDrawer] = {}
        for layer in layers:
            drawer = DRAWERS[layer["layer_type"]](layer, ctx)
            window = layer_window(layer)
            if window is not None:
                timed = TimedDrawer(drawer, window, duration)
                self.timed.append(timed)
                if drawer.__class__.__name__ == "VideoDrawer":
                    self.video_starts[id(drawer)] = timed
                drawer = timed
            if getattr(drawer, "drawer", drawer).__class__.__name__ == "VideoDrawer":
                self.video_drawers.append(getattr(drawer, "drawer", drawer))
            drawers.append(drawer)
        base = background_image(scene, geometry, resolver)
        if not transparent and base.getchannel("A").getextrema()[0] < 255:
            opaque = Image.new("RGBA", base.size, DEFAULT_BACKGROUND)
            opaque.alpha_composite(base)
            base = opaque
        # Static layers before the first moving one join the plate; later runs become overlays.
        self.steps: list = []
        pending: list[Sprite] = []
        plate_done = False
        for drawer in drawers:
            if drawer.dynamic:
                if not plate_done:
                    for image, at in pending:
                        paste(base, image, at)
                    plate_done = True
                else:
                    flat = flatten(geometry.output, pending)
                    if flat:
                        self.steps.append(("static", flat))
                pending = []
                self.steps.append(("dynamic", drawer))
            else:
                pending.append(drawer.sprite())
        if not plate_done:
            for image, at in pending:
                paste(base, image, at)
        else:
            flat = flatten(geometry.output, pending)
            if flat:
                self.steps.append(("static", flat))
        self.plate = base
        self.painter = FramePainter(base, opaque=base.getchannel("A").getextrema()[0] == 255)

    def wanted_seconds(self) -> float:
        """How long the layers want the scene to last: a video played entirely, from its start time."""
        wants = [0.0]
        for drawer in self.video_drawers:
            timed = self.video_starts.get(id(drawer))
            if drawer.play_seconds():
                wants.append(drawer.play_seconds() + (timed.window.start if timed else 0.0))
        return max(wants)

    def set_duration(self, duration: float) -> None:
        """The scene's final length: the avatar's choreography and open-ended timing windows run to it."""
        for kind, item in self.steps:
            if kind == "dynamic" and hasattr(item, "performance"):
                item.performance.duration = duration
        for timed in self.timed:
            timed.duration = duration

    def replan(self, mouth, actions, duration: float, known: float | None) -> float:
        """The avatar's speech as far as it is known and the least the scene will last (see Performance.replan);
        returns how far the avatar's plan is final."""
        settled = float("inf")
        for kind, item in self.steps:
            if kind == "dynamic" and hasattr(item, "performance"):
                item.performance.replan(mouth, actions, duration, known)
                settled = min(settled, item.performance.plan.settled)
        for timed in self.timed:
            timed.duration = duration
        return settled

    def _performance(self, layer: dict) -> Performance:
        """The HUMAN layer's Performance, framed by composer.spec.framing: pre-scaled once, placed in output
        pixels, with `clip` (output pixels) cutting it at the box's lower edge and `pivot` for its rotation."""
        rig = self.rig
        geometry = self.geometry
        figure = figure_metrics(rig)
        framing = frame_figure(human_box(layer, figure, geometry.layout), figure)
        left, top, _, _ = geometry.rect((*framing.offset, 1, 1))
        plan = self.avatar
        performance = Performance(rig, plan.mouth, plan.actions, plan.duration, action_interval=plan.action_interval,
                                  end_at_first_frame=plan.end_at_first_frame, seed=plan.seed,
                                  scale=framing.scale * geometry.scale)
        performance.offset = (left, top)
        clip_left, clip_top, clip_w, clip_h = geometry.rect(framing.clip)
        performance.clip = (clip_left, clip_top, clip_left + clip_w, clip_top + clip_h)
        x, y, w, h = geometry.rect_float(framing.figure)
        performance.pivot = (x + w / 2, y + h / 2)
        return performance

    def layers(self, t: float, caption: Sprite | None = None) -> list[Layer]:
        """The sprites above the plate at time t, bottom to top, each with whether it moves: static overlays,
        the caption and timed layers while fully shown stay the same from frame to frame."""
        out: list[Layer] = []
        for kind, item in self.steps:
            if kind == "static":
                out.append((item, False))
            elif hasattr(item, "sprites"):
                out.extend((sprite, True) for sprite in item.sprites(t))
            else:
                sprite = item.sprite(t)
                if sprite is not None:
                    out.append((sprite, not (isinstance(item, TimedDrawer) and item.steady(t))))
        if caption is not None:
            out.append((caption, False))
        return out

    def sprites(self, t: float) -> list[Sprite]:
        return [sprite for sprite, _ in self.layers(t)]

    def paint(self, canvas: Canvas, t: float, caption: Sprite | None = None) -> Canvas:
        """Compose the frame at t into `canvas` (see composer.render.canvas) and return it."""
        return self.painter.paint(canvas, self.layers(t, caption))

    def frame(self, t: float, caption: Sprite | None = None) -> Image.Image:
        """The frame at t as a Pillow image of its own."""
        return self.paint(Canvas(self.geometry.output), t, caption).image
