"""Lip-sync timing judged on decoded output: the mouth is on time with the voice, closes in silences, and never
shows two shapes blended. Each scene is rendered once as it is and once per mouth shape with the mouth forced to
that shape (same seed, so the head moves identically); the forced renders locate the mouth and tell which shape
every frame of the real render shows."""
from __future__ import annotations

import wave
from pathlib import Path

import av
import numpy as np
import pytest

from composer.render import pipeline, render
from composer.render.avatar import performance
from composer.render.lipsync import MOUTH_SHAPES
from composer.spec import validate_create_body
from tests.support.render import FileResolver, spec

FPS = 25
WINDOW = (1320, 400, 240, 180)        # (dx, dy, width, height): Maya's lower face in the landscape layout
TEXT = '<speak>Hello there. <break time="600ms"/> Open your eyes and see.</speak>'
CLOSED = {"X", "A"}


def decode(path: Path) -> tuple[np.ndarray, np.ndarray, int]:
    """Frames (n, h, w, 3) as int16, and mono audio placed on the video's clock (by the audio frames' pts)."""
    with av.open(str(path)) as container:
        frames = np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)]).astype(np.int16)
    with av.open(str(path)) as container:
        rate = container.streams.audio[0].rate
        pieces, first = [], None
        for frame in container.decode(audio=0):
            first = frame.time if first is None else first
            pieces.append(frame.to_ndarray().reshape(frame.layout.nb_channels if frame.format.is_planar else 1,
                                                      -1).mean(axis=0))
    audio = np.concatenate(pieces)
    lead = int(round(first * rate))
    audio = np.pad(audio, (lead, 0)) if lead > 0 else audio[-lead:]
    return frames, audio, rate


def frame_rms(audio: np.ndarray, rate: int, count: int) -> np.ndarray:
    """RMS over each frame's 40 ms (frame k shows from k/25 to (k+1)/25)."""
    hop = rate // FPS
    audio = np.pad(audio, (0, max(0, count * hop - audio.size)))[:count * hop]
    return np.sqrt(np.mean(audio.reshape(count, hop) ** 2, axis=1))


def silent_frames(audio: np.ndarray, rate: int, count: int, *, longer_than: float = 0.2) -> list[int]:
    """Frames lying wholly inside a silence (10 ms blocks below 2% of the loud level) longer than `longer_than`."""
    hop = rate // 100
    blocks = np.sqrt(np.mean(audio[:audio.size // hop * hop].reshape(-1, hop) ** 2, axis=1))
    quiet = blocks < 0.02 * np.percentile(blocks, 95)
    frames: list[int] = []
    start = None
    for i, is_quiet in enumerate(np.append(quiet, False)):
        if is_quiet and start is None:
            start = i
        elif not is_quiet and start is not None:
            if (i - start) / 100 > longer_than:
                first, last = int(np.ceil(start / 100 * FPS)), int(i / 100 * FPS) - 1
                frames += [k for k in range(first, last + 1) if k < count]
            start = None
    return frames


def best_lag(mouth: np.ndarray, sound: np.ndarray, span: int = 4) -> int:
    """The shift (frames) that best lines the mouth up with the sound: positive = the mouth trails the voice."""
    def correlation(lag: int) -> float:
        a = mouth[lag:] if lag >= 0 else mouth[:lag]
        b = sound[:sound.size - lag] if lag >= 0 else sound[-lag:]
        return float(np.corrcoef(a, b)[0, 1])

    return max(range(-span, span + 1), key=correlation)


class Measured:
    """A render with its decoded audio, and where every frame's mouth is and which shape it shows."""

    def __init__(self, real: Path, forced: dict[str, Path]):
        self.frames, self.audio, self.rate = decode(real)
        references = {shape: decode(path)[0] for shape, path in forced.items()}
        count = min(len(self.frames), *(len(r) for r in references.values()))
        self.frames = self.frames[:count]
        self.references = {shape: frames[:count] for shape, frames in references.items()}
        # The mouth box: wherever some forced shape differs clearly from the rest shape, on average over frames.
        rest = self.references["X"]
        moving = np.zeros(self.frames.shape[1:3], bool)
        for frames in self.references.values():
            moving |= np.abs(frames - rest).max(axis=-1).mean(axis=0) > 40
        rows, cols = np.nonzero(moving)
        self.box = (slice(rows.min(), rows.max() + 1), slice(cols.min(), cols.max() + 1))
        self.distances = {shape: self._distance(frames) for shape, frames in self.references.items()}
        self.shapes = [min(self.distances, key=lambda s: self.distances[s][k]) for k in range(count)]

    def _distance(self, reference: np.ndarray) -> np.ndarray:
        box = (slice(None), *self.box)
        return np.abs(self.frames[box] - reference[box]).mean(axis=(1, 2, 3))

    def openness(self) -> np.ndarray:
        """Dark pixels inside the mouth box: the open mouth's inside (the rest shape is a thin line)."""
        crop = self.frames[(slice(None), *self.box)]
        return (crop.sum(axis=-1) < 250).sum(axis=(1, 2)).astype(float)

    def envelope(self) -> np.ndarray:
        return frame_rms(self.audio, self.rate, len(self.frames))


def render_measured(body: dict, directory: Path, resolver: FileResolver, monkeypatch) -> Measured:
    # One speech track for all renders: the voice's timbre noise varies between syntheses, and the head's accents
    # follow the mouth timeline, so the forced renders must share both to line up with the real one.
    speech = pipeline.scene_speech(body["shoot_scripts"][0]["shoot_script"], body, resolver)
    monkeypatch.setattr(pipeline, "scene_speech", lambda scene, spec, resolver, **_: speech.replay())
    real = render(body, resolver, directory / "real.mp4").output
    forced: dict[str, Path] = {}
    for shape in MOUTH_SHAPES:
        with monkeypatch.context() as patch:
            patch.setattr(performance.Performance, "mouth_pose",
                          lambda self, t, shape=shape: performance.MouthPose(shape))
            forced[shape] = render(body, resolver, directory / f"forced-{shape}.mp4").output
    return Measured(real, forced)


@pytest.fixture(scope="module")
def text_scene(tmp_path_factory) -> Measured:
    dx, dy, width, height = WINDOW
    body = spec(TEXT, clip_mode="CROP", width=width, height=height, crop=(dx, dy))
    with pytest.MonkeyPatch.context() as monkeypatch:
        return render_measured(body, tmp_path_factory.mktemp("text"), FileResolver(), monkeypatch)


def write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


@pytest.fixture(scope="module")
def audio_scene(tmp_path_factory) -> Measured:
    from composer.render.speech import synthesize_script, voice_ref_for

    directory = tmp_path_factory.mktemp("audio")
    track = synthesize_script(TEXT, voice_ref_for("voice-en-us-joe"))
    resolver = FileResolver()
    url = "https://audio.example.com/voice.wav"
    resolver.add(url, write_wav(directory / "voice.wav", track.samples, track.sample_rate))
    dx, dy, width, height = WINDOW
    body = validate_create_body({
        "model_asset_id": "avatar-maya",
        "video_config": {"bitrate": 1000, "width": width, "height": height, "clip_mode": "CROP", "dx": dx, "dy": dy},
        "shoot_scripts": [{"shoot_script": {"script_type": "AUDIO", "audio_drive_file_external_url": url}}],
    })
    with pytest.MonkeyPatch.context() as monkeypatch:
        return render_measured(body, directory, resolver, monkeypatch)


def test_it_finds_the_mouth_and_tells_the_shapes_apart(text_scene):
    # The harness itself: the box is mouth-sized and the open shapes show more dark inside than the rest shape.
    rows, cols = text_scene.box
    assert 10 < rows.stop - rows.start < 80 and 15 < cols.stop - cols.start < 100
    crop = (slice(None), *text_scene.box)
    dark = {s: float((f[crop].sum(axis=-1) < 250).sum(axis=(1, 2)).mean()) for s, f in text_scene.references.items()}
    assert dark["D"] > dark["C"] > dark["X"] and dark["D"] > dark["B"]


@pytest.mark.parametrize("scene", ["text_scene", "audio_scene"])
def test_it_keeps_the_mouth_on_time_with_the_voice(scene, request):
    measured = request.getfixturevalue(scene)
    lag = best_lag(measured.openness(), measured.envelope())
    assert lag in (0, -1), f"the mouth trails the voice by {lag} frames"


@pytest.mark.parametrize("scene", ["text_scene", "audio_scene"])
def test_it_closes_the_mouth_in_silences(scene, request):
    measured = request.getfixturevalue(scene)
    silent = silent_frames(measured.audio, measured.rate, len(measured.frames))
    assert len(silent) > 15                     # the 600 ms break, and the tail after the speech
    closed = [k for k in silent if measured.shapes[k] in CLOSED]
    assert len(closed) >= 0.95 * len(silent), [(k, measured.shapes[k]) for k in silent]


@pytest.mark.parametrize("scene", ["text_scene", "audio_scene"])
def test_it_never_blends_two_mouths(scene, request):
    measured = request.getfixturevalue(scene)
    blended = []
    for k in range(len(measured.frames)):
        nearest, second = sorted(float(d[k]) for d in measured.distances.values())[:2]
        # A frame showing one shape is nearly identical to that shape's forced render (codec noise only); a
        # blend of two sits half way between them.
        if nearest > 0.5 * second:
            blended.append((k, round(nearest, 2), round(second, 2)))
    assert not blended


def test_it_opens_wider_on_open_vowels_than_on_consonants(text_scene):
    shown = set(text_scene.shapes)
    assert len(shown - CLOSED) >= 3 and "D" in shown      # more than an open/closed toggle
    # While voiced, the loudest frames (open, stressed vowels) show clearly more of the open mouth than the
    # quietest (consonants).
    envelope, openness = text_scene.envelope(), text_scene.openness()
    voiced = np.nonzero(envelope > 0.05 * envelope.max())[0]
    ranked = voiced[np.argsort(envelope[voiced])]
    quarter = len(ranked) // 4
    assert openness[ranked[-quarter:]].mean() > 1.5 * openness[ranked[:quarter]].mean()
