"""Rendered videos, decoded with PyAV: size, rate, duration, audio, mouth, layers, subtitles, alpha, scenes."""
from __future__ import annotations

import io

import av
import numpy as np
import pytest
from PIL import Image

from composer.render import Progress, RenderCancelled, render, render_preview
from tests.support.render import b64, solid_image, spec

MOUTH_CROP = (1360, 432, 160, 120)   # around Maya's mouth in the landscape layout


def decode(path):
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
        rate = video.average_rate
    with av.open(str(path)) as container:
        audio = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)]) \
            if container.streams.audio else np.zeros(0)
        audio_rate = container.streams.audio[0].rate if container.streams.audio else 0
    return frames, rate, audio, audio_rate


def cropped(text, **kw):
    dx, dy, w, h = MOUTH_CROP
    return spec(text, clip_mode="CROP", width=w, height=h, crop=(dx, dy), **kw)


def test_a_scene_has_size_rate_duration_and_audible_speech(tmp_path, resolver):
    result = render(cropped("Hello everyone."), resolver, tmp_path / "a.mp4")
    frames, rate, audio, audio_rate = decode(result.output)
    assert frames[0].shape[:2] == (120, 160)
    assert rate == 25
    assert len(frames) == result.frames == round(result.duration * 25)
    assert abs(len(audio) / audio_rate / 2 - result.duration) < 0.1   # stereo samples interleaved
    assert np.sqrt(np.mean(audio ** 2)) > 0.01
    assert result.cover.exists() and result.subtitles_srt.read_text().count("-->") >= 1


def test_a_two_second_break_adds_two_seconds(tmp_path, resolver):
    plain = render(cropped("One. Two."), resolver, tmp_path / "plain.mp4")
    pause = render(cropped('<speak>One. <break time="2s"/> Two.</speak>'), resolver, tmp_path / "pause.mp4")
    assert abs((pause.duration - plain.duration) - 2.0) < 0.25


def mouth_darkness(frame: np.ndarray) -> int:
    """Dark pixels between the lips (an open mouth shows its dark inside; the rest shape a thin line)."""
    centre = frame[35:92, 45:115].astype(int)
    return int(((centre[..., 0] < 120) & (centre[..., 1] < 70) & (centre[..., 2] < 80)).sum())


def longest_still_run(values: list[int], spread: int = 15) -> tuple[int, int]:
    """(start, length) of the longest run of frames whose mouth barely changes."""
    best = (0, 0)
    start = 0
    for end in range(1, len(values) + 1):
        while max(values[start:end]) - min(values[start:end]) > spread:
            start += 1
        if end - start > best[1]:
            best = (start, end - start)
    return best


def test_the_mouth_moves_while_speaking_and_rests_in_a_break(tmp_path, resolver):
    result = render(cropped('<speak>Hello, how are you all doing today? <break time="2s"/> Good.</speak>'),
                    resolver, tmp_path / "m.mp4")
    frames, _, _, _ = decode(result.output)
    darkness = [mouth_darkness(f) for f in frames]
    start, length = longest_still_run(darkness)
    # The two-second break is the one long stretch with the mouth at rest (a closed line of lip).
    assert length >= 40 and start > 20
    assert max(darkness[start:start + length]) < 80
    speaking = darkness[:start]
    assert max(speaking) > 120 and len(set(speaking)) > 6


def test_layer_order_and_rotation_are_visible(tmp_path, resolver):
    red = resolver.add("red", solid_image(tmp_path, "red", (220, 0, 0, 255)))
    blue = resolver.add("blue", solid_image(tmp_path, "blue", (0, 0, 220, 255)))
    bar = resolver.add("bar", solid_image(tmp_path, "bar", (0, 160, 0, 255), size=(400, 40)))

    def layers(red_index, blue_index, angle=0):
        return [
            {"layer_type": "IMAGE", "asset_id": red, "position": {"dx": 100, "dy": 100, "layer_index": red_index},
             "size": {"width": 200, "height": 200}},
            {"layer_type": "IMAGE", "asset_id": blue, "position": {"dx": 200, "dy": 200, "layer_index": blue_index},
             "size": {"width": 200, "height": 200}},
            {"layer_type": "IMAGE", "asset_id": bar, "position": {"dx": 100, "dy": 700, "layer_index": 9},
             "size": {"width": 400, "height": 40}, "rotation": {"angle": angle}},
        ]

    def pixel(image, x, y):
        return image.convert("RGB").getpixel((x, y))

    blue_on_top = render_preview(spec(layers=layers(1, 2)), 0, 0.0, resolver, max_width=1920)
    red_on_top = render_preview(spec(layers=layers(2, 1)), 0, 0.0, resolver, max_width=1920)
    assert pixel(blue_on_top, 250, 250)[2] > 180 and pixel(red_on_top, 250, 250)[0] > 180
    flat = render_preview(spec(layers=layers(1, 2, 0)), 0, 0.0, resolver, max_width=1920)
    turned = render_preview(spec(layers=layers(1, 2, 90)), 0, 0.0, resolver, max_width=1920)
    # A 400x40 bar turned 90 degrees about its centre (300, 720) stands upright: 40 wide, 400 tall.
    def green(image, x, y):
        r, g, b = pixel(image, x, y)
        return r < 60 and g > 120 and b < 60

    assert green(flat, 150, 720) and not green(turned, 150, 720)
    assert green(turned, 300, 560) and not green(flat, 300, 560)


def test_text_layers_and_subtitles_are_drawn(tmp_path, resolver):
    title = [{"layer_type": "TEXT", "position": {"dx": 40, "dy": 40, "layer_index": 5},
              "text_config": {"text_context": b64("标题 Title"), "font_size": 80, "font_color": "#FF0000"}}]
    image = render_preview(spec(layers=title), 0, 0.0, resolver, max_width=1920).convert("RGB")
    reds = sum(1 for x in range(40, 500) for y in range(40, 160)
               if (lambda p: p[0] > 200 and p[1] < 60)(image.getpixel((x, y))))
    assert reds > 500
    box = (200, 900, 1720, 1080)
    with_subs = render(spec("Subtitles are burned in.", subtitles=True, width=1280, height=720), resolver,
                       tmp_path / "s.mp4")
    without = render(spec("Subtitles are burned in.", width=1280, height=720), resolver, tmp_path / "n.mp4")
    a, _, _, _ = decode(with_subs.output)
    b, _, _, _ = decode(without.output)
    scale = 1280 / 1920
    x0, y0, x1, y1 = (round(v * scale) for v in box)
    middle = len(a) // 2
    difference = np.abs(a[middle][y0:y1, x0:x1].astype(int) - b[middle][y0:y1, x0:x1].astype(int)).mean()
    assert difference > 3
    assert "Subtitles are burned in." in with_subs.subtitles_vtt.read_text()


@pytest.mark.parametrize("codec, suffix", [("VP8", "webm"), ("QTRLE", "mov")])
def test_transparent_output_has_alpha(tmp_path, resolver, codec, suffix):
    result = render(spec("Hi.", codec=codec, clip_mode="CROP", width=320, height=240, crop=(1300, 200),
                         background=[]), resolver, tmp_path / f"t.{suffix}")
    with av.open(str(result.output)) as container:
        stream = container.streams.video[0]
        if codec == "QTRLE":
            frame = next(container.decode(stream))
        else:
            # FFmpeg's own VP8 decoder ignores the alpha channel that libvpx stores beside each frame.
            decoder = av.CodecContext.create("libvpx", "r")
            frame = next(f for packet in container.demux(stream) if packet.size for f in decoder.decode(packet))
    alpha = frame.to_ndarray(format="rgba")[..., 3]
    assert alpha.min() == 0 and alpha.max() == 255
    assert result.output.suffix == f".{suffix}"


def test_two_scenes_play_one_after_the_other(tmp_path, resolver):
    scenes = [{"text": "First scene.", "background": [{"background_type": "COLOR",
                                                       "background_color_config": "#FF0000"}]},
              {"text": "Second scene.", "background": [{"background_type": "COLOR",
                                                        "background_color_config": "#0000FF"}]}]
    result = render(spec(scenes=scenes, clip_mode="CROP", width=64, height=36, crop=(0, 0)), resolver,
                    tmp_path / "two.mp4")
    frames, _, _, _ = decode(result.output)
    assert frames[2][18, 32, 0] > 200 and frames[2][18, 32, 2] < 60
    assert frames[-2][18, 32, 2] > 200 and frames[-2][18, 32, 0] < 60
    assert len(frames) == result.frames


@pytest.mark.parametrize("width, height", [(1280, 720), (720, 1280)])
def test_resize_gives_the_requested_resolution(tmp_path, resolver, width, height):
    model = "avatar-maya" if width > height else "avatar-leo"
    result = render(spec("Size.", width=width, height=height, model=model), resolver, tmp_path / "r.mp4")
    frames, _, _, _ = decode(result.output)
    assert frames[0].shape[:2] == (height, width)


def test_music_plays_under_speech_and_is_ducked(tmp_path, resolver):
    from composer.render.audio import MIX_RATE, music_bed

    text = '<speak>Music under the voice. <break time="2s"/> And back.</speak>'
    with_music = render(cropped(text, music="music-calm-pads"), resolver, tmp_path / "music.mp4")
    dry = render(cropped(text), resolver, tmp_path / "dry.mp4")
    rms = lambda x: float(np.sqrt(np.mean(np.square(x)))) if x.size else 0.0  # noqa: E731

    def pause_rms(path) -> float:
        _, _, audio, rate = decode(path)
        seconds = np.arange(audio.size // 2) / rate
        left = audio.reshape(-1, 2)[:, 0]
        return rms(left[(seconds > 2.2) & (seconds < 2.8)])

    assert pause_rms(dry.output) < 0.005 < pause_rms(with_music.output)
    # Ducking: the bed is quieter wherever the voice is.
    speech = np.zeros((4 * MIX_RATE, 2), np.float32)
    speech[MIX_RATE:2 * MIX_RATE] = 0.3 * np.sin(np.linspace(0, 2000, MIX_RATE))[:, None]
    path = resolver.asset_path("music-calm-pads", "MUSIC")
    ducked = music_bed(path, speech.shape[0], 100, speech)
    plain = music_bed(path, speech.shape[0], 100, np.zeros_like(speech))
    during = slice(int(1.3 * MIX_RATE), int(1.8 * MIX_RATE))
    after = slice(int(2.8 * MIX_RATE), int(3.2 * MIX_RATE))
    assert rms(ducked[during]) < 0.4 * rms(plain[during])
    assert rms(ducked[after]) > 0.9 * rms(plain[after])


def test_progress_is_monotonic_to_100_and_cancel_cleans_up(tmp_path, resolver):
    seen: list[Progress] = []
    render(cropped("Progress."), resolver, tmp_path / "p.mp4", seen.append)
    percents = [p.percent for p in seen]
    assert percents == sorted(percents) and percents[-1] == 100
    assert any(p.stage == "compose" and p.eta_seconds is not None for p in seen)
    # Watchers get a small frame at once (the scene's first), not only after seconds of rendering.
    first = next(p for p in seen if p.stage == "compose")
    assert first.preview_jpeg and Image.open(io.BytesIO(first.preview_jpeg)).format == "JPEG"
    calls = {"n": 0}

    def cancel_soon() -> bool:
        calls["n"] += 1
        return calls["n"] > 3

    with pytest.raises(RenderCancelled):
        render(cropped("This render is cancelled part way."), resolver, tmp_path / "c.mp4",
               should_cancel=cancel_soon)
    assert list(tmp_path.glob("c.*")) == [] and list(tmp_path.glob(".c.parts")) == []


@pytest.mark.slow
def test_a_full_size_1080p_render(tmp_path, resolver):
    result = render(spec("A full size render.", subtitles=True), resolver, tmp_path / "full.mp4")
    frames, rate, _, _ = decode(result.output)
    assert frames[0].shape[:2] == (1080, 1920) and rate == 25
    Image.fromarray(frames[len(frames) // 2]).save(tmp_path / "frame.png")


PLAIN = ("Welcome to the studio, where a script becomes a finished video on your own machine. Write what you want "
         "to say and pick a voice. Choose a presenter and a background. Place your logo and a title. Ask a teammate "
         "to approve it. Press render and watch it come together. The video arrives with its cover and subtitles. "
         "Publish it wherever your audience is.")


def test_a_scene_without_pauses_starts_its_frames_after_its_first_sentences(tmp_path, resolver, monkeypatch):
    """A plain script has no silence long enough to settle the subtitles or the mouth early; its frames still start
    once its first sentences are spoken, not after all of its speech (the loop otherwise idles one core)."""
    from composer.render import pace

    first_frame = []
    wait_for = pace.ScenePace.wait_for

    def watched(self, t, should_cancel=None):
        wait_for(self, t, should_cancel)
        if not first_frame:
            first_frame.append((self.stream.done, self.stream.known_until))

    monkeypatch.setattr(pace.ScenePace, "wait_for", watched)
    result = render(cropped(PLAIN, subtitles=True), resolver, tmp_path / "a.mp4")
    [(done, known)] = first_frame
    assert result.duration > 15
    assert not done and known < result.duration / 2, (known, result.duration)
