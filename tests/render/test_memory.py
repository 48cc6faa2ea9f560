"""Memory flat in length: a render of three minutes of speech, three scenes each with its own text, peaks at about
the memory of a ten-second one. (Each scene's speech is made while the scene before it is composed: its frames
have reached their steady memory by then, so a speech engine whose memory grows with the sentence shows here.)

Each render runs in a fresh Python process and reports its own peak resident memory (VmHWM); the bound comes from
the ten-second render in the same test, so it holds on any machine. A memory check, not a time check.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SENTENCES = ("Welcome to the studio, where a script becomes a finished presenter video on your own machine.",
             "Write what you want to say, pick a voice and a presenter, and press render.",
             "Speech, lip sync, compositing and encoding all happen here, with live progress.",
             "Your team approves exactly what will render, and the video arrives with its subtitles.")

CHILD = r'''
import json, sys
from pathlib import Path
from composer.render import render
from tests.support.render import FileResolver, spec
texts, out = json.loads(sys.argv[1]), Path(sys.argv[2])
background = [{"background_type": "IMAGE", "background_asset_id": "bg-studio-blue-landscape"}]
body = spec(width=1280, height=720, subtitles=True, music="music-calm-pads",
            scenes=[{"text": text, "background": background} for text in texts])
result = render(body, FileResolver(), out)
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"duration": result.duration, "peak_kib": peak}))
'''


def speech_of(seconds: float, first: int = 0) -> str:
    """About `seconds` of speech at the default speed (some 3.4 words a second), from SENTENCES[first] on."""
    words: list[str] = []
    sentence = first
    while len(words) < seconds * 3.4:
        words += SENTENCES[sentence % len(SENTENCES)].split()
        sentence += 1
    text = " ".join(words)
    return text if text.endswith(".") else text + "."


def peak_of(texts: list[str], out: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(texts), str(out)], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], env={**os.environ}, timeout=3600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_three_minute_render_needs_no_more_memory_than_a_ten_second_one(tmp_path):
    short = peak_of([speech_of(10)], tmp_path / "short.mp4")
    long = peak_of([speech_of(60, first) for first in range(3)], tmp_path / "long.mp4")
    assert 8 <= short["duration"] <= 20 and long["duration"] >= 150, (short, long)
    assert long["peak_kib"] <= short["peak_kib"] * 1.15, (short, long)
