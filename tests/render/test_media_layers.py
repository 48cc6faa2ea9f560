"""VIDEO layers (looping, sound, playing to the end) and AUDIO-driven scenes, decoded with PyAV."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from composer.render import render
from composer.spec import validate_create_body
from tests.support.render import spec


def make_clip(path: Path, seconds: float, color=(0, 200, 0), tone: float | None = 660.0) -> Path:
    """A small MP4: a solid colour picture and, optionally, a sine tone."""
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=25)
        video.width, video.height, video.pix_fmt = 64, 64, "yuv420p"
        audio = container.add_stream("aac", rate=48000, layout="mono") if tone else None
        for i in range(int(seconds * 25)):
            frame = av.VideoFrame.from_ndarray(np.full((64, 64, 3), color, np.uint8), format="rgb24")
            frame.pts = i
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode(None):
            container.mux(packet)
        if audio is not None:
            t = np.arange(int(seconds * 48000)) / 48000
            samples = (0.4 * np.sin(2 * np.pi * tone * t)).astype(np.float32)
            for start in range(0, samples.size, 1024):
                frame = av.AudioFrame.from_ndarray(samples[None, start:start + 1024], format="fltp", layout="mono")
                frame.sample_rate, frame.pts, frame.time_base = 48000, start, Fraction(1, 48000)
                for packet in audio.encode(frame):
                    container.mux(packet)
            for packet in audio.encode(None):
                container.mux(packet)
    return path


def decode_video(path):
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def audio_rms_at(path, start: float, end: float, freq: float) -> float:
    """Energy near `freq` between start and end seconds."""
    with av.open(str(path)) as container:
        rate = container.streams.audio[0].rate
        audio = np.concatenate([f.to_ndarray()[0] for f in container.decode(audio=0)])
    piece = audio[int(start * rate):int(end * rate)]
    spectrum = np.abs(np.fft.rfft(piece))
    freqs = np.fft.rfftfreq(piece.size, 1 / rate)
    band = (freqs > freq - 20) & (freqs < freq + 20)
    return float(spectrum[band].sum() / max(1.0, spectrum.sum()))


def video_layer(asset_id: str, **config) -> list[dict]:
    return [{"layer_type": "VIDEO", "asset_id": asset_id, "position": {"dx": 0, "dy": 0, "layer_index": 5},
             "size": {"width": 64, "height": 64}, "video_config": config}]


def small(text: str, layers) -> dict:
    return spec(text, clip_mode="CROP", width=64, height=64, crop=(0, 0), layers=layers)


def test_a_looping_video_layer_shows_and_is_heard_and_a_muted_one_is_not(tmp_path, resolver):
    clip = resolver.add("clip", make_clip(tmp_path / "clip.mp4", 0.4))
    text = "A video layer plays in a loop."
    loud = render(small(text, video_layer(clip, loop_count=-1, video_sound=100)), resolver, tmp_path / "v.mp4")
    muted = render(small(text, video_layer(clip, loop_count=-1, video_sound=0)), resolver, tmp_path / "m.mp4")
    frames = decode_video(loud.output)
    assert all(f[32, 32, 1] > 150 and f[32, 32, 0] < 80 for f in frames[::10])  # green all the way: looped
    tone_loud = audio_rms_at(loud.output, 0.0, loud.duration, 660)
    tone_muted = audio_rms_at(muted.output, 0.0, muted.duration, 660)
    assert tone_loud > 4 * tone_muted


def test_a_video_layer_that_plays_once_then_disappears(tmp_path, resolver):
    clip = resolver.add("clip", make_clip(tmp_path / "clip.mp4", 0.4))
    result = render(small("Once, please, and then gone.", video_layer(clip, loop_count=1)), resolver,
                    tmp_path / "v.mp4")
    frames = decode_video(result.output)
    assert frames[2][32, 32, 1] > 150 and frames[2][32, 32, 0] < 80
    # After its 0.4 s the clip is gone and the light background shows again.
    assert frames[-2][32, 32, 0] > 150


def test_play_the_entire_video_extends_the_scene(tmp_path, resolver):
    clip = resolver.add("long", make_clip(tmp_path / "long.mp4", 4.0, tone=None))
    short = render(small("Hi.", video_layer(clip, loop_count=1)), resolver, tmp_path / "a.mp4")
    whole = render(small("Hi.", video_layer(clip, loop_count=1, is_play_the_entire_video=True)), resolver,
                   tmp_path / "b.mp4")
    assert short.duration < 3.0
    assert abs(whole.duration - 4.0) < 0.2


def test_an_audio_driven_scene_follows_its_audio(tmp_path, resolver):
    voice = make_clip(tmp_path / "voice.mp4", 2.5, tone=220.0)
    resolver.add("https://audio.example.com/voice.mp4", voice)
    body = {
        "model_asset_id": "avatar-maya",
        "video_config": {"bitrate": 1000, "width": 160, "height": 120, "clip_mode": "CROP", "dx": 1360, "dy": 432},
        "shoot_scripts": [{"shoot_script": {
            "script_type": "AUDIO", "audio_drive_file_external_url": "https://audio.example.com/voice.mp4",
            "audio_drive_action_config": [{"action_tag": "nod", "action_start_time": 0.5}]}}],
    }
    result = render(validate_create_body(body), resolver, tmp_path / "audio.mp4")
    assert abs(result.duration - (2.5 + 0.3)) < 0.1
    assert audio_rms_at(result.output, 0.2, 2.2, 220) > 0.05
    assert result.subtitles_srt is None   # subtitle files come from text scripts
