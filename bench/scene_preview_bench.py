"""Time to play a scene (prints figures; never a test).

"Play scene" in the editor renders the current scene as a small MP4 (render_scene_preview) and plays it. This
measures that render for a scene of about 15 s of speech with the avatar, an image background, an image layer
that fades in, a text layer, subtitles and music, at the editor's width of 480 px: cold (a fresh process), with a
new script on a warm engine (the server's usual case), and after a layer edit (the spoken script is kept). A
repeated play of an unchanged scene is served from the preview cache without rendering. The target: playing
within 5 s of the click on a 2-core machine; the load average is printed since other work on the machine counts.
Usage: .venv/bin/python bench/scene_preview_bench.py [--width 480] [--no-subtitles]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "composer.settings")

TEXT = ("Welcome to Composer, the studio that turns a script into a finished presenter video on your own machine. "
        "Write what you want to say, pick a voice and an avatar, place your logo and a title, and press play to hear the voice, "
        "the music and see the timing of every layer before you render the whole video.")


def body(subtitles: bool) -> dict:
    return {
        "model_asset_id": "avatar-maya", "voice_config": {"voice_asset_id": "voice-en-us-joe"},
        "video_config": {"codec": "H264", "bitrate": 4000, "width": 1920, "height": 1080,
                         "is_subtitle_enable": subtitles},
        "background_music_config": {"music_asset_id": "music-calm-pads", "volume": 40},
        "shoot_scripts": [{"sequence_no": 0, "shoot_script": {
            "text_config": {"text": TEXT},
            "background_config": [{"background_type": "IMAGE", "background_asset_id": "bg-studio-blue-landscape"}],
            "layer_config": [
                {"layer_type": "IMAGE", "asset_id": "bench-logo", "position": {"dx": 1600, "dy": 60, "layer_index": 3},
                 "size": {"width": 240, "height": 240}, "timing": {"start": 2, "end": 12, "fade_in": 1, "fade_out": 1}},
                {"layer_type": "TEXT", "position": {"dx": 120, "dy": 140, "layer_index": 4},
                 "text_config": {"text_context": "TWVldCBDb21wb3Nlcg==", "font_size": 72, "font_color": "#1D2B4F"}},
            ]}}],
        "output_asset_config": {"asset_name": "bench"},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--width", type=int, default=480)
    parser.add_argument("--no-subtitles", action="store_true", help="burned-in subtitles off (their layout costs)")
    args = parser.parse_args()

    from PIL import Image

    from composer.render import render_scene_preview
    from composer.spec import validate_create_body
    from tests.support.render import FileResolver

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        logo = work / "logo.png"
        Image.new("RGBA", (480, 480), (59, 91, 219, 255)).save(logo)
        resolver = FileResolver()
        resolver.add("bench-logo", logo)
        spec = validate_create_body(body(not args.no_subtitles))
        scene = spec["shoot_scripts"][0]["shoot_script"]
        figures = {}

        def play(run: str):
            started = time.perf_counter()
            result = render_scene_preview(spec, 0, resolver, work / f"{run}.mp4", width=args.width)
            figures[f"{run}_seconds"] = round(time.perf_counter() - started, 2)
            return result

        play("cold")                                   # a fresh process: imports, voice and presenter load
        scene["text_config"]["text"] += " See you soon."
        result = play("new_text")                      # the server's usual case: engine warm, the script new
        scene["layer_config"][0]["timing"]["start"] = 3
        play("layer_edit")                             # only layers changed: the spoken script is kept
        figures.update({"scene_seconds": round(result.duration, 2), "size": f"{result.width}x{result.height}",
                        "frames": result.frames, "mp4_kb": round((work / "new_text.mp4").stat().st_size / 1024),
                        "load_average": round(os.getloadavg()[0], 2)})
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
