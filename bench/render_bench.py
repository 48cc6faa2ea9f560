"""Render speed benchmark (prints figures; never a test).

Renders a 30 s (and a 10 s) 1920x1080 H.264 scene with the avatar, an image background, an image layer, a text
layer and subtitles, each in a new process that first warms up as a render worker does at its start (the engine
imported, the presenter's rig decoded, the voice loaded: composer/jobs/warmup.py), then compares:
- render fps with the fps of a raw PyAV encode of equally complex frames (our own frames, same settings): three
  30 s renders, each between two re-encoding runs and compared with their mean (the median of the three ratios),
  so that the machine's drift from minute to minute moves both sides; the first render of a process that has not
  warmed up is shown beside it;
- with MoviePy 2 doing the same composition (background, avatar frames, image, text, subtitles) in its own
  temporary virtualenv (MoviePy pins Pillow below 12, so it cannot share ours);
- seconds per video second and peak memory (VmHWM) of the render process at 10 s, 30 s and 60 s of video, and
  10 minutes with --ten-minutes (`make bench` passes it; it takes several minutes): memory should stay flat.
Usage: .venv/bin/python bench/render_bench.py [--skip-moviepy] [--ten-minutes]
"""
from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "composer.settings")

WORDS = ("Welcome to Composer, the studio that turns a script into a finished presenter video on your own "
         "machine. Write what you want to say, pick a voice and an avatar, place your logo and a title, and "
         "press render. Speech, lip sync, compositing and encoding all happen locally, with live progress "
         "and an honest estimate of the time left. Your team approves exactly what will render, and the "
         "finished video arrives with its cover and subtitle files, ready to publish.")


SCENE_SECONDS = 60   # a scene's text holds at most 10,000 characters: longer videos are several scenes


def body(seconds: int, image_path: str) -> dict:
    scenes = []
    for start in range(0, seconds, SCENE_SECONDS):
        scene = body_of_one_scene(min(SCENE_SECONDS, seconds - start), len(scenes))["shoot_scripts"][0]
        scenes.append({**scene, "sequence_no": len(scenes)})
    return {**body_of_one_scene(1), "shoot_scripts": scenes}


def body_of_one_scene(seconds: int, scene: int = 0) -> dict:
    """One scene of about `seconds`; each `scene` number puts WORDS' sentences in another order, so the scenes of a
    long video are all spoken anew (a text spoken before would have its speech reused)."""
    sentences = [sentence.strip() + "." for sentence in WORDS.split(".") if sentence.strip()]
    orders = list(itertools.permutations(sentences))
    text = " ".join(orders[scene % len(orders)] * (seconds // 20 + 3))
    words = text.split()
    # About three words a second at the default speed.
    text = " ".join(words[:int(seconds * 3.0)])
    return {
        "model_asset_id": "avatar-maya", "voice_config": {"voice_asset_id": "voice-en-us-joe"},
        "video_config": {"codec": "H264", "bitrate": 4000, "width": 1920, "height": 1080,
                         "is_subtitle_enable": True},
        "shoot_scripts": [{"sequence_no": 0, "shoot_script": {
            "text_config": {"text": text},
            "background_config": [{"background_type": "IMAGE", "background_asset_id": "bg-studio-blue-landscape"}],
            "layer_config": [
                {"layer_type": "IMAGE", "asset_id": "bench-logo", "position": {"dx": 1600, "dy": 60,
                                                                               "layer_index": 3},
                 "size": {"width": 240, "height": 240}},
                {"layer_type": "TEXT", "position": {"dx": 120, "dy": 140, "layer_index": 4},
                 "text_config": {"text_context": "TWVldCBDb21wb3NlcgpWaWRlb3MgaW4gbWludXRlcw==", "font_size": 72,
                                 "font_color": "#1D2B4F"}},
            ]}}],
        "output_asset_config": {"asset_name": "bench"},
    }


def warm_up_as_a_worker() -> None:
    """A render worker's start-up warm-up (composer/jobs/warmup.py) for the bench's presenter: the engine imported,
    the voice loaded, the rig decoded into the process's cache and a trial thumbnail drawn."""
    import django

    django.setup()
    from composer.jobs.warmup import warm_up
    from composer.render.avatar import BUILTIN_RIGS

    warm_up([Path(next(entry["path"] for entry in BUILTIN_RIGS if entry["asset_id"] == "avatar-maya"))], voices=True)


def render_once(seconds: int, out: Path, warm: bool = True) -> dict:
    """Runs in a child process so that its peak memory is its own."""
    if warm:
        warm_up_as_a_worker()
    from PIL import Image

    from composer.render import render
    from composer.spec import validate_create_body
    from tests.support.render import FileResolver

    logo = out.parent / "logo.png"
    Image.new("RGBA", (480, 480), (59, 91, 219, 255)).save(logo)
    resolver = FileResolver()
    resolver.add("bench-logo", logo)
    spec = validate_create_body(body(seconds, str(logo)))
    started = time.perf_counter()
    result = render(spec, resolver, out)
    elapsed = time.perf_counter() - started
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
    return {"seconds": elapsed, "frames": result.frames, "duration": result.duration, "peak_mb": peak / 1024}


def capture_frames(work: Path, sample: int = 100) -> list:
    """Our own composited frames (captured on their way to the encoder) of a 6 s render, for raw_encode_fps."""
    from composer.render import convert, render
    from composer.spec import validate_create_body
    from tests.support.render import FileResolver

    captured = []
    original = convert.Converter.convert

    def capture(self, frame, *args, **kwargs):
        if len(captured) < sample:
            captured.append(frame.copy())
        return original(self, frame, *args, **kwargs)

    convert.Converter.convert = capture
    try:
        resolver = FileResolver()
        resolver.add("bench-logo", work / "logo.png")
        render(validate_create_body(body(6, "")), resolver, work / "capture.mp4")
    finally:
        convert.Converter.convert = original
    return captured


def raw_encode_fps(work: Path, captured: list, count: int = 300) -> float:
    """The ceiling for a renderer: encode our own composited frames again with the same writer and settings, with
    no compositing at all. Each frame is converted to yuv420p whole here, on the encoding thread, as any encoder of
    given frames must; the render converts only what changed from the frame's plate (composer.render.convert), on
    its composing thread, which is part of what it saves."""
    from composer.render import encode

    writer = encode.ThreadedWriter(encode.SegmentWriter(work / "raw", "H264", (1920, 1080), 4000, False))
    started = time.perf_counter()
    for i in range(count):
        writer.write(captured[i % len(captured)])
    writer.close()
    return count / (time.perf_counter() - started)


MOVIEPY_SCRIPT = r'''
import json, sys, time
from moviepy import ImageClip, ImageSequenceClip, TextClip, CompositeVideoClip, AudioFileClip
cfg = json.loads(sys.argv[1])
duration = cfg["duration"]
background = ImageClip(cfg["background"]).with_duration(duration)
avatar = ImageSequenceClip(cfg["avatar_frames"], fps=25, with_mask=True).with_position((cfg["avatar_x"], cfg["avatar_y"]))
avatar = avatar.with_effects([__import__("moviepy").video.fx.Loop(duration=duration)])
logo = ImageClip(cfg["logo"]).resized((240, 240)).with_position((1600, 60)).with_duration(duration)
title = TextClip(font=cfg["font"], text="Meet Composer\nVideos in minutes", font_size=72, color="#1D2B4F").with_position((120, 140)).with_duration(duration)
subs = [TextClip(font=cfg["font"], text=c["text"], font_size=54, color="white", stroke_color="black", stroke_width=2,
                 size=(1536, None), method="caption").with_start(c["start"]).with_duration(c["end"] - c["start"]).with_position(("center", 930))
        for c in cfg["cues"]]
video = CompositeVideoClip([background, avatar, logo, title] + subs, size=(1920, 1080)).with_audio(AudioFileClip(cfg["audio"]))
started = time.perf_counter()
video.write_videofile(cfg["out"], fps=25, codec="libx264", bitrate="4000k", preset="veryfast", audio_codec="aac", logger=None, threads=2)
print(json.dumps({"seconds": time.perf_counter() - started}))
'''


def moviepy_seconds(work: Path, video: Path, srt: Path, duration: float) -> float | None:
    """The same composition in MoviePy 2, in a throwaway venv; None (with a note) when it cannot be installed."""
    import av

    from composer.render.avatar import BUILTIN_RIGS, Performance, open_rig
    from composer.render.text import BOLD

    venv = work / "moviepy-venv"
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "moviepy>=2"], check=True, capture_output=True,
                       timeout=600)
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"  (MoviePy comparison skipped: could not install moviepy: {exc})")
        return None
    frames_dir = work / "avatar"
    frames_dir.mkdir()
    rig = open_rig(BUILTIN_RIGS[0]["path"])
    performance = Performance(rig, [], [], 2.0, scale=0.9)
    paths = []
    for i in range(50):
        path = frames_dir / f"{i:03d}.png"
        performance.frame(i / 25).save(path)
        paths.append(str(path))
    audio = work / "audio.m4a"
    with av.open(str(video)) as source, av.open(str(audio), "w", format="mp4") as target:
        stream = target.add_stream_from_template(source.streams.audio[0])
        for packet in source.demux(source.streams.audio[0]):
            if packet.dts is not None:
                packet.stream = stream
                target.mux(packet)
    cues = []
    for block in srt.read_text().strip().split("\n\n"):
        lines = block.splitlines()
        start, end = (sum(float(x) * f for x, f in zip(t.replace(",", ".").split(":"), (3600, 60, 1), strict=True))
                      for t in lines[1].split(" --> "))
        cues.append({"start": start, "end": end, "text": " ".join(lines[2:])})
    logo = work / "logo.png"
    from PIL import Image

    Image.new("RGBA", (480, 480), (59, 91, 219, 255)).save(logo)
    config = {"duration": duration, "background": str(ROOT / "composer/render/presets/backgrounds/"
                                                               "studio-blue-landscape.jpg"),
              "avatar_frames": paths, "avatar_x": 900, "avatar_y": 108, "logo": str(logo), "font": str(BOLD),
              "cues": cues, "audio": str(audio), "out": str(work / "moviepy.mp4")}
    done = subprocess.run([str(venv / "bin" / "python"), "-c", MOVIEPY_SCRIPT, json.dumps(config)],
                          capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        print(f"  (MoviePy run failed: {done.stderr[-400:]})")
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])["seconds"]


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(render_once(int(sys.argv[2]), Path(sys.argv[3]), warm="--cold" not in sys.argv)))
        return
    work = Path(tempfile.mkdtemp(prefix="composer-bench-"))
    runs = {}
    lengths = (10, 30, 60, 600) if "--ten-minutes" in sys.argv else (10, 30, 60)

    def child(seconds: int, *flags: str) -> dict:
        out = work / f"render-{seconds}.mp4"
        run = subprocess.run([sys.executable, __file__, "--child", str(seconds), str(out), *flags],
                             capture_output=True, text=True, cwd=ROOT)
        if run.returncode != 0:
            sys.exit(f"the {seconds} s render failed:\n{run.stderr[-3000:]}")
        return json.loads(run.stdout.strip().splitlines()[-1])

    for seconds in lengths:
        if seconds != 30:
            runs[seconds] = child(seconds)
    # This machine's speed moves by a tenth, at times by a third, from minute to minute. The 30 s render is timed
    # three times, each between two runs of re-encoding (300 frames, about 5 s), and each render's ratio is taken
    # against the mean of the two runs beside it.
    captured = capture_frames(work)
    raws = [raw_encode_fps(work, captured)]
    thirty = []
    for _ in range(3):
        thirty.append(child(30))
        raws.append(raw_encode_fps(work, captured))
    cold = child(30, "--cold")
    raws.append(raw_encode_fps(work, captured))
    del captured

    def ratio(run: dict, before: float, after: float) -> float:
        return run["frames"] / run["seconds"] / ((before + after) / 2)

    ratios = [ratio(run, before, after) for run, before, after in zip(thirty, raws, raws[1:], strict=False)]
    middle = sorted(range(3), key=lambda i: ratios[i])[1]
    r30 = runs[30] = thirty[middle]
    lengths = sorted(runs)
    print("Composer render benchmark: 1920x1080 H.264, avatar + image background + image + text + subtitles")
    print(f"(load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
    print(f"{'':28}" + "".join(f"{f'{s} s':>10}" for s in lengths))
    rows = [("video seconds", lambda r: f"{r['duration']:.1f}"), ("render seconds", lambda r: f"{r['seconds']:.1f}"),
            ("render fps", lambda r: f"{r['frames'] / r['seconds']:.1f}"),
            ("seconds per video second", lambda r: f"{r['seconds'] / r['duration']:.2f}"),
            ("peak memory (MB)", lambda r: f"{r['peak_mb']:.0f}")]
    for label, cell in rows:
        print(f"{label:28}" + "".join(f"{cell(runs[s]):>10}" for s in lengths))
    print("raw PyAV encode of the same frames, same settings, before and after each 30 s render: "
          f"{', '.join(f'{rate:.1f}' for rate in raws)} fps")
    each = [f"{value:.2f} ({run['seconds']:.1f} s)" for value, run in zip(ratios, thirty, strict=True)]
    print(f"ratio of each 30 s render to the re-encodes beside it: {', '.join(each)} -> median {ratios[middle]:.2f}")
    print(f"the 30 s render in a new process that has not warmed up: {cold['seconds']:.1f} s, "
          f"{cold['frames'] / cold['seconds']:.1f} fps -> ratio {ratio(cold, raws[-2], raws[-1]):.2f}")
    if "--skip-moviepy" not in sys.argv:
        moviepy = moviepy_seconds(work, work / "render-30.mp4", work / "render-30.srt", r30["duration"])
        if moviepy:
            print(f"MoviePy 2, same composition: {moviepy:.1f} s -> Composer is {moviepy / r30['seconds']:.1f}x faster")


if __name__ == "__main__":
    main()
