"""Draw functions per layer type, registered under the names of composer.spec.layers (HUMAN, IMAGE, VIDEO, TEXT).

Each drawer works in output pixels. Static drawers give one sprite; dynamic ones a sprite per time t.
Rotation angles are clockwise degrees about the layer's centre (as CSS and the editor draw them).
"""
from __future__ import annotations

import base64
import math
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import av
from PIL import Image, ImageColor, ImageDraw, ImageFilter, ImageOps

from composer.render.geometry import Geometry
from composer.render.text import fake_bold_width, load_font, weighted_font_path, wrap
from composer.spec.tables import TEXT_STYLE_DEFAULTS

Sprite = tuple[Image.Image, tuple[int, int]]
MAX_SOURCE_PIXELS = 64_000_000


@dataclass
class SceneContext:
    geometry: Geometry
    resolver: object
    duration: float
    performance_for: object = None      # callable(box_in_output) -> Performance, set by the compositor


def rotate_sprite(image: Image.Image, left: int, top: int, angle: float) -> Sprite:
    """Rotate clockwise about the sprite's centre, keeping the centre where it was."""
    if not angle % 360:
        return image, (left, top)
    cx, cy = left + image.size[0] / 2, top + image.size[1] / 2
    rotated = image.rotate(-angle, resample=Image.BICUBIC, expand=True)
    return rotated, (round(cx - rotated.size[0] / 2), round(cy - rotated.size[1] / 2))


def sharpen_if_upscaled(image: Image.Image, factor: float, geometry: Geometry) -> Image.Image:
    """The super-resolution path: LANCZOS upscaling plus a mild unsharp mask when output exceeds the source."""
    if geometry.super_resolution and factor > 1.05:
        return image.filter(ImageFilter.UnsharpMask(radius=max(1.0, factor), percent=60, threshold=2))
    return image


def open_image(path: Path) -> Image.Image:
    with Image.open(path, formats=["PNG", "JPEG", "WEBP", "GIF", "BMP"]) as probe:
        if probe.size[0] * probe.size[1] > MAX_SOURCE_PIXELS:
            raise ValueError(f"{path.name}: image larger than {MAX_SOURCE_PIXELS} pixels")
        return ImageOps.exif_transpose(probe).convert("RGBA")


def image_source(layer: dict, ctx: SceneContext, key: str, url_key: str, asset_type: str) -> Path:
    if layer.get("asset_id"):
        return ctx.resolver.asset_path(layer["asset_id"], asset_type)
    return ctx.resolver.url_path((layer.get(key) or {})[url_key])


def layout_box(layer: dict, natural: tuple[float, float]) -> tuple[float, float, float, float]:
    position = layer.get("position") or {}
    size = layer.get("size") or {}
    width = size.get("width")
    height = size.get("height")
    if width and not height:
        height = width * natural[1] / natural[0]
    elif height and not width:
        width = height * natural[0] / natural[1]
    return position.get("dx", 0), position.get("dy", 0), width or natural[0], height or natural[1]


class ImageDrawer:
    dynamic = False

    def __init__(self, layer: dict, ctx: SceneContext):
        source = open_image(image_source(layer, ctx, "image_config", "image_url", "IMAGE"))
        geometry = ctx.geometry
        box = layout_box(layer, source.size)
        left, top, width, height = geometry.rect(box)
        fitted = source.resize((width, height), Image.LANCZOS)
        fitted = sharpen_if_upscaled(fitted, width / source.size[0], geometry)
        self.sprite_ = rotate_sprite(fitted, left, top, (layer.get("rotation") or {}).get("angle", 0))

    def sprite(self, t: float = 0.0) -> Sprite:
        return self.sprite_


class TextDrawer:
    """A text layer as one sprite, drawn once (static): the box (dx, dy, width) holds the lines, aligned, with the
    optional background box (padding inside the width) behind them and the drop shadow under the letters. The
    editor's canvas draws the same parameters with CSS (box-sizing: border-box, text-shadow)."""

    dynamic = False

    def __init__(self, layer: dict, ctx: SceneContext):
        config = {**TEXT_STYLE_DEFAULTS, **(layer.get("text_config") or {})}
        text = base64.b64decode(config.get("text_context", "")).decode("utf-8")
        scale = ctx.geometry.scale
        size = config.get("font_size", 16) * scale
        fake_bold = 0
        if config.get("font_asset_id"):
            path = ctx.resolver.asset_path(config["font_asset_id"], "FONT")
            fake_bold = fake_bold_width(size) if config.get("font_weight") == "BOLD" else 0
        else:
            path = weighted_font_path(config.get("font_name"), config.get("font_weight"))
        font = load_font(str(path), round(size))
        pad = config["box_padding"] * scale if config.get("box_color") else 0
        box_width = (layer.get("size") or {}).get("width")
        lines = wrap(text, font, box_width * scale - 2 * pad) if box_width else text.split("\n")
        widths = [font.getlength(line) + 2 * fake_bold for line in lines]
        width = round(box_width * scale) if box_width else math.ceil(max(widths, default=1) + 2 * pad)
        pitch = size * config["line_height"]
        height = max(1, round(pitch * len(lines) + 2 * pad))
        shadow = bool(config.get("shadow_color"))
        offset = (config["shadow_offset_x"] * scale, config["shadow_offset_y"] * scale) if shadow else (0, 0)
        blur = config["shadow_blur"] * scale / 2 if shadow else 0     # CSS blur radius = 2 sigma
        # A clear margin for glyph overhang and the shadow, the same on every side so the box's centre stays the
        # sprite's centre (rotation turns about it, as CSS turns the canvas's node).
        margin = math.ceil(max(abs(offset[0]), abs(offset[1])) + 3 * blur) + max(4, round(size / 4))
        canvas = (width + 2 * margin, height + 2 * margin)
        letters = Image.new("L", canvas, 0)
        draw = ImageDraw.Draw(letters)
        ascent, descent = font.getmetrics()
        share = {"LEFT": 0.0, "CENTER": 0.5, "RIGHT": 1.0}[config["text_align"]]
        for i, (line, line_width) in enumerate(zip(lines, widths, strict=True)):
            x = margin + pad + (width - 2 * pad - line_width) * share + fake_bold
            # CSS puts the half-leading above and below the font's ascent + descent; the baseline follows.
            baseline = margin + pad + i * pitch + (pitch - ascent - descent) / 2 + ascent
            draw.text((x, baseline), line, font=font, fill=255, anchor="ls", stroke_width=fake_bold, stroke_fill=255)
        image = Image.new("RGBA", canvas, (0, 0, 0, 0))
        if config.get("box_color"):
            ImageDraw.Draw(image).rectangle((margin, margin, margin + width - 1, margin + height - 1),
                                            fill=(*ImageColor.getrgb(config["box_color"]),
                                                  round(config["box_opacity"] * 255)))
        if shadow:
            cast = Image.new("L", canvas, 0)
            cast.paste(letters, (round(offset[0]), round(offset[1])))
            if blur:
                cast = cast.filter(ImageFilter.GaussianBlur(blur))
            image.alpha_composite(solid(config["shadow_color"], cast))
        image.alpha_composite(solid(config.get("font_color") or "#FFFFFF", letters))
        position = layer.get("position") or {}
        left, top, _, _ = ctx.geometry.rect((position.get("dx", 0), position.get("dy", 0), 1, 1))
        self.sprite_ = rotate_sprite(image, left - margin, top - margin, (layer.get("rotation") or {}).get("angle", 0))

    def sprite(self, t: float = 0.0) -> Sprite:
        return self.sprite_


def solid(color: str, alpha: Image.Image) -> Image.Image:
    """A colour painted through a mask."""
    image = Image.new("RGBA", alpha.size, ImageColor.getrgb(color))
    image.putalpha(alpha)
    return image


class VideoDrawer:
    """A video overlay: decoded at 25 fps, looped loop_count times (-1 forever, 0 hidden)."""

    dynamic = True

    def __init__(self, layer: dict, ctx: SceneContext):
        config = layer.get("video_config") or {}
        self.path = image_source(layer, ctx, "video_config", "video_url", "VIDEO")
        self.loops = config.get("loop_count", -1)
        self.entire = config.get("is_play_the_entire_video", False)
        self.sound = config.get("video_sound", 0)
        with av.open(str(self.path), options={"protocol_whitelist": "file"}) as container:
            stream = container.streams.video[0]
            natural = (stream.codec_context.width, stream.codec_context.height)
            self.clip_duration = float(stream.duration * stream.time_base) if stream.duration else \
                float(container.duration or 0) / av.time_base
        self.rect = ctx.geometry.rect(layout_box(layer, natural))
        self._frames = self._decode()
        self._current: Sprite | None = None
        self._index = -1

    def play_seconds(self) -> float:
        """How long this layer wants the scene to last (is_play_the_entire_video)."""
        if not self.entire or self.loops == 0:
            return 0.0
        return self.clip_duration * max(1, self.loops)

    def _decode(self):
        left, top, width, height = self.rect
        plays = 0
        while self.loops < 0 or plays < self.loops:
            with av.open(str(self.path), options={"protocol_whitelist": "file"}) as container:
                stream = container.streams.video[0]
                next_time = 0.0
                produced = 0
                for frame in container.decode(stream):
                    when = float(frame.pts * stream.time_base) if frame.pts is not None else next_time
                    # Resample to 25 fps by holding or dropping source frames.
                    while when >= next_time - 1e-6 and next_time <= when + 1 / 25:
                        image = frame.to_image().convert("RGBA").resize((width, height), Image.BILINEAR)
                        yield image, (left, top)
                        produced += 1
                        next_time += 1 / 25
                if produced == 0:
                    return
            plays += 1

    def sprite(self, t: float) -> Sprite | None:
        if self.loops == 0:
            return None
        index = int(round(t * 25))
        while self._index < index:
            try:
                self._current = next(self._frames)
            except StopIteration:
                self._current = None
                self._index = 1 << 30
                break
            self._index += 1
        return self._current


class HumanDrawer:
    """The avatar, pre-scaled once to its box; frames come from the scene's Performance. The box's lower edge
    cuts it (composer.spec.framing) before any rotation, which turns it about the figure's box centre."""

    dynamic = True
    CUT_CACHE = 24

    def __init__(self, layer: dict, ctx: SceneContext):
        self.layer = layer
        # Not keeping ctx: its performance_for is the compositor's method, and a drawer holding it made the
        # compositor (with the avatar's cached poses, some 100 MB at 1080p) a reference cycle, freed only by a rare
        # full garbage collection after the scene: each later scene of a render peaked higher.
        self.performance = ctx.performance_for(layer)
        self.angle = (layer.get("rotation") or {}).get("angle", 0)
        self._cuts: OrderedDict = OrderedDict()

    def _cut(self, image: Image.Image, top: int, bottom: int) -> Image.Image | None:
        """The piece without its rows at or below `bottom` (output y); pieces repeat, so crops are cached."""
        keep = bottom - top
        if keep >= image.size[1]:
            return image
        if keep <= 0:
            return None
        key = (id(image), keep)
        hit = self._cuts.get(key)
        if hit is None or hit[0] is not image:
            hit = self._cuts[key] = (image, image.crop((0, 0, image.size[0], keep)))
            while len(self._cuts) > self.CUT_CACHE:
                self._cuts.popitem(last=False)
        else:
            self._cuts.move_to_end(key)
        return hit[1]

    def _rotated(self, frame: Image.Image, left: int, top: int) -> Sprite:
        whole = (left, top, left + frame.size[0], top + frame.size[1])
        clip_left, clip_top, clip_right, clip_bottom = self.performance.clip or whole
        pivot_x, pivot_y = self.performance.pivot or ((whole[0] + whole[2]) / 2, (whole[1] + whole[3]) / 2)
        half_w = max(pivot_x - clip_left, clip_right - pivot_x)
        half_h = max(pivot_y - clip_top, clip_bottom - pivot_y)
        at_x, at_y = round(pivot_x - half_w), round(pivot_y - half_h)
        # Centred on the pivot, so rotating about the image's centre turns it about the figure's box centre.
        region = Image.new("RGBA", (max(1, round(2 * half_w)), max(1, round(2 * half_h))), (0, 0, 0, 0))
        visible = frame.crop((clip_left - left, clip_top - top, clip_right - left, clip_bottom - top))
        region.paste(visible, (clip_left - at_x, clip_top - at_y))
        return rotate_sprite(region, at_x, at_y, self.angle)

    def sprites(self, t: float) -> list[Sprite]:
        left, top = self.performance.offset
        if self.angle % 360:
            return [self._rotated(self.performance.frame(t), left, top)]
        if self.performance.clip is None:
            return [(image, (left + x, top + y)) for image, (x, y) in self.performance.sprites(t)]
        bottom = self.performance.clip[3]
        out = []
        for image, (x, y) in self.performance.sprites(t):
            cut = self._cut(image, top + y, bottom)
            if cut is not None:
                out.append((cut, (left + x, top + y)))
        return out


DRAWERS = {"IMAGE": ImageDrawer, "TEXT": TextDrawer, "VIDEO": VideoDrawer, "HUMAN": HumanDrawer}
