"""Regenerate the built-in backgrounds and music beds: `python -m composer.render.presets.generate`.

Everything is synthesised here (our own making), deterministically from fixed seeds.
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
BACKGROUNDS = {
    # name: (top-left colour, bottom-right colour, accent, style)
    "studio-blue": ((236, 242, 252), (196, 212, 240), (120, 150, 230), "bokeh"),
    "warm-office": ((250, 240, 228), (226, 204, 184), (240, 170, 110), "panels"),
    "night-gradient": ((32, 38, 68), (78, 52, 110), (150, 120, 255), "bokeh"),
}


def gradient(size: tuple[int, int], a, b) -> np.ndarray:
    w, h = size
    x = np.linspace(0, 1, w)[None, :]
    y = np.linspace(0, 1, h)[:, None]
    t = np.clip(0.55 * x + 0.45 * y, 0, 1)[..., None]
    return (np.array(a) * (1 - t) + np.array(b) * t).astype(np.float32)


def background(size: tuple[int, int], spec, seed: int) -> Image.Image:
    top, bottom, accent, style = spec
    rng = np.random.default_rng(seed)
    base = Image.fromarray(gradient(size, top, bottom).astype(np.uint8), "RGB").convert("RGBA")
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    w, h = size
    if style == "bokeh":
        for _ in range(26):
            r = rng.uniform(0.03, 0.12) * max(w, h)
            x, y = rng.uniform(0, w), rng.uniform(0, h)
            alpha = int(rng.uniform(18, 55))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(*accent, alpha))
        layer = layer.filter(ImageFilter.GaussianBlur(max(w, h) * 0.012))
    else:
        for i in range(5):
            x0 = w * (0.08 + i * 0.2)
            draw.rounded_rectangle((x0, h * 0.12, x0 + w * 0.14, h * 0.78), radius=int(w * 0.01),
                                   fill=(255, 255, 255, 60))
        draw.rectangle((0, h * 0.82, w, h), fill=(*accent, 40))
        layer = layer.filter(ImageFilter.GaussianBlur(max(w, h) * 0.006))
    base.alpha_composite(layer)
    # A soft vignette keeps the eye in the middle of the frame.
    yy, xx = np.mgrid[0:h, 0:w]
    d = np.sqrt(((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2)
    shade = (np.clip(d - 0.6, 0, 1) * 40).astype(np.uint8)
    vignette = Image.fromarray(np.dstack([np.zeros_like(shade)] * 3 + [shade]), "RGBA")
    base.alpha_composite(vignette)
    return base.convert("RGB")


def note(freq: float, seconds: float, rate: int, *, soft: bool = True) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    tone = sum(np.sin(2 * np.pi * freq * k * t) / k ** 1.6 for k in (1, 2, 3, 4))
    attack = np.clip(t / (0.6 if soft else 0.01), 0, 1)
    release = np.clip((seconds - t) / 0.8, 0, 1)
    return (tone * attack * release).astype(np.float32)


def music(chords: list[list[float]], bpm: int, seconds: float, rate: int = 48000, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    total = int(seconds * rate)
    out = np.zeros((total, 2), np.float32)
    bar = 4 * 60 / bpm
    position = 0.0
    index = 0
    while position < seconds:
        chord = chords[index % len(chords)]
        start = int(position * rate)
        for i, freq in enumerate(chord):
            pad = note(freq, bar * 1.05, rate) * 0.11
            end = min(total, start + pad.size)
            pan = 0.35 + 0.3 * (i / max(1, len(chord) - 1))
            out[start:end, 0] += pad[:end - start] * (1 - pan)
            out[start:end, 1] += pad[:end - start] * pan
        # A soft pluck arpeggio and a gentle kick on each beat.
        for beat in range(4):
            at = int((position + beat * bar / 4) * rate)
            pluck = note(chord[beat % len(chord)] * 2, 0.5, rate, soft=False) * np.exp(-np.arange(int(0.5 * rate)) / (0.12 * rate)) * 0.09
            kick_t = np.arange(int(0.25 * rate)) / rate
            kick = np.sin(2 * np.pi * (55 + 60 * np.exp(-kick_t * 30)) * kick_t) * np.exp(-kick_t * 18) * 0.18
            for sound, gain in ((pluck, 1.0), (kick, 1.0 if beat % 2 == 0 else 0.6)):
                end = min(total, at + sound.size)
                if end > at:
                    out[at:end] += (sound[:end - at] * gain)[:, None]
        position += bar
        index += 1
    out += rng.normal(0, 0.002, out.shape).astype(np.float32)
    return out / max(1e-6, np.abs(out).max()) * 0.7


def write_m4a(samples: np.ndarray, path: Path, rate: int = 48000) -> None:
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=rate, layout="stereo")
        stream.bit_rate = 96_000
        planar = np.ascontiguousarray(samples.T)
        pts = 0
        for start in range(0, planar.shape[1], 1024):
            frame = av.AudioFrame.from_ndarray(planar[:, start:start + 1024], format="fltp", layout="stereo")
            frame.sample_rate = rate
            frame.pts = pts
            frame.time_base = Fraction(1, rate)
            pts += frame.samples
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


A3, C4, D4, E4, F4, G4, A4, B3, C5 = 220.0, 261.63, 293.66, 329.63, 349.23, 392.0, 440.0, 246.94, 523.25


def main() -> None:
    for seed, (name, spec) in enumerate(BACKGROUNDS.items()):
        background((1920, 1080), spec, seed).save(HERE / "backgrounds" / f"{name}-landscape.jpg", quality=88)
        background((1080, 1920), spec, seed).save(HERE / "backgrounds" / f"{name}-portrait.jpg", quality=88)
    write_m4a(music([[C4, E4, G4], [A3, C4, E4], [F4 / 2, A3, C4], [G4 / 2, B3, D4]], 88, 32, seed=1),
              HERE / "music" / "calm-pads.m4a")
    write_m4a(music([[D4, F4, A4], [B3, D4, G4], [C4, E4, G4], [A3, C4, E4]], 104, 32, seed=2),
              HERE / "music" / "bright-pulse.m4a")


if __name__ == "__main__":
    main()
