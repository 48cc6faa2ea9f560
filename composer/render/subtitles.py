"""Subtitles: cues from timed words, SRT and WebVTT files, and burned-in captions per SubtitleConfig."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from composer.render.text import font_path, join_words, load_font, wrap

SENTENCE_END = tuple(".!?。！？;；")
MAX_CUE_SECONDS = 6.0
MAX_LINES = 2
BOX_WIDTH = 0.8


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def build_cues(words, *, font_size: int, canvas_width: int, font_name: str | None = None) -> list[Cue]:
    """Group timed words into cues of at most two lines in the subtitle box, split at sentence ends."""
    font = load_font(str(font_path(font_name)), font_size)
    box = canvas_width * BOX_WIDTH
    cues: list[Cue] = []
    current: list = []

    def flush() -> None:
        if current:
            cues.append(Cue(current[0].start, current[-1].end, join_words([w.text for w in current])))
            current.clear()

    for word in words:
        if current:
            trial = join_words([w.text for w in current] + [word.text])
            too_long = len(wrap(trial, font, box)) > MAX_LINES or word.end - current[0].start > MAX_CUE_SECONDS
            gap = word.start - current[-1].end > 1.0
            if too_long or gap:
                flush()
        current.append(word)
        if word.text.endswith(SENTENCE_END):
            flush()
    flush()
    return cues


def _stamp(seconds: float, separator: str) -> str:
    millis = int(round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{ms:03d}"


def write_srt(cues: list[Cue], path: Path) -> Path:
    blocks = [f"{i}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{c.text}\n" for i, c in enumerate(cues, 1)]
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def write_vtt(cues: list[Cue], path: Path) -> Path:
    blocks = [f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{c.text}\n" for c in cues]
    path.write_text("WEBVTT\n\n" + "\n".join(blocks), encoding="utf-8")
    return path


class CaptionPainter:
    """Draws one cue as an RGBA sprite in output pixels, per SubtitleConfig (cached per cue)."""

    def __init__(self, config: dict, canvas: tuple[int, int], to_output):
        self.config = config
        self.canvas = canvas
        self.to_output = to_output  # layout rect -> output rect
        self._cache: dict[str, tuple[Image.Image, tuple[int, int]]] = {}

    def sprite(self, text: str) -> tuple[Image.Image, tuple[int, int]]:
        if text in self._cache:
            return self._cache[text]
        config = self.config
        width, height = self.canvas
        box_width = width * BOX_WIDTH
        left = config.get("dx", (width - box_width) / 2)
        bottom = config.get("dy", height - height * 0.06)
        size = config.get("font_size", 54)
        x, y, w, _ = self.to_output((left, 0, box_width, 1))
        scale = w / box_width
        font = load_font(str(font_path(config.get("font_name"))), round(size * scale))
        lines = wrap(text, font, w)
        stroke = config.get("stroke_thickness") or 0
        stroke_px = round(stroke * scale) if config.get("stroke_color") else 0
        line_height = round(size * scale * 1.3)
        pad = max(6, stroke_px * 2 + round(8 * scale))
        sprite_h = line_height * len(lines) + 2 * pad
        sprite = Image.new("RGBA", (round(w) + 2 * pad, sprite_h), (0, 0, 0, 0))
        draw = ImageDraw.Draw(sprite)
        fill = config.get("font_color") or "#FFFFFF"
        if not stroke_px:
            # No stroke asked for: a soft shadow keeps white text readable on light backgrounds.
            shadow = Image.new("RGBA", sprite.size, (0, 0, 0, 0))
            shadow_draw = ImageDraw.Draw(shadow)
            for i, line in enumerate(lines):
                shadow_draw.text((pad + w / 2, pad + i * line_height + 2 * scale), line, font=font,
                                 fill=(0, 0, 0, 170), anchor="ma")
            sprite.alpha_composite(shadow.filter(ImageFilter.GaussianBlur(max(2, 4 * scale))))
        for i, line in enumerate(lines):
            draw.text((pad + w / 2, pad + i * line_height), line, font=font, fill=fill, anchor="ma",
                      stroke_width=stroke_px, stroke_fill=config.get("stroke_color") or None)
        opacity = config.get("opacity", 1.0)
        if opacity < 1:
            alpha = sprite.getchannel("A").point(lambda v: int(v * opacity))
            sprite.putalpha(alpha)
        _, out_bottom, _, _ = self.to_output((0, bottom, 1, 1))
        position = (round(x) - pad, round(out_bottom) - sprite_h + pad)
        self._cache[text] = (sprite, position)
        return sprite, position
