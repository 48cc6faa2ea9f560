"""Avatar frame cost: ms per frame for both built-in presenters over 10 s of talking with gestures, at the size
each is composited at in its own 1080p layout. Run: .venv/bin/python bench/avatar_bench.py"""
from __future__ import annotations

import random
import time

from composer.render.avatar import BUILTIN_RIGS, Performance, open_rig
from composer.render.lipsync import MouthKey as Key
from composer.render.speech import TimedAction as Action

FPS = 25
SECONDS = 10.0


def speech(seconds: float, seed: int = 1) -> list[Key]:
    """A talking-like mouth timeline: shapes of 60-200 ms with short rests between phrases."""
    rng = random.Random(seed)
    keys, t = [], 0.3
    while t < seconds - 0.3:
        length = rng.uniform(0.06, 0.2)
        shape = "X" if rng.random() < 0.08 else rng.choice("ABCDEFGH")
        keys.append(Key(t, min(seconds, t + length), shape))
        t += length
    return keys


def measure(entry: dict) -> None:
    rig = open_rig(entry["path"])
    scale = entry["layout"][1] / rig.layout[1] * rig.default_box[2] / rig.size[0]
    started = time.perf_counter()
    performance = Performance(rig, speech(SECONDS), [Action(2.0, "wave"), Action(6.5, "point")], SECONDS,
                              action_interval=None, scale=scale)
    setup = time.perf_counter() - started
    frames = int(SECONDS * FPS)
    started = time.perf_counter()
    for i in range(frames):
        performance.sprites(i / FPS)
    sprites_ms = (time.perf_counter() - started) / frames * 1000
    started = time.perf_counter()
    for i in range(frames):
        performance.frame(i / FPS)
    frame_ms = (time.perf_counter() - started) / frames * 1000
    print(f"{entry['name']}: scale {scale:.2f} -> {performance.size[0]}x{performance.size[1]}; "
          f"setup {setup * 1000:.0f} ms; sprites(t) {sprites_ms:.1f} ms/frame; "
          f"frame(t) {frame_ms:.1f} ms/frame ({frames} frames)")


def main() -> None:
    for entry in BUILTIN_RIGS:
        measure(entry)


if __name__ == "__main__":
    main()
