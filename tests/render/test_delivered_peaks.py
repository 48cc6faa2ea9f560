"""The delivered soundtrack keeps its true peaks under TRUE_PEAK_MAX even where the encoder rebuilds them higher
than the limiter left them (AAC and Opus do, by up to a dB or two depending on the sound): the encoded file is
measured, and mastered again with a lower ceiling when it passes."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from composer.render import audio, pcm

OVERSHOOT_DB = 1.5


@pytest.fixture
def clicks(tmp_path) -> Path:
    """Quiet noise with sharp clicks: mastered to the target loudness, the clicks meet the limiter."""
    frames = 48000 * 3
    rng = np.random.default_rng(1)
    left = rng.standard_normal(frames).astype(np.float32) * 0.05
    left[::2400], left[1::2400] = 1.0, -1.0
    sound = np.stack([left, left[::-1].copy()], axis=1)
    path = tmp_path / "scene.npy"
    with pcm.SoundWriter(path, frames) as writer:
        writer.write(sound)
    return path


def overshoot(monkeypatch) -> None:
    """From now on the encoder plays every peak back OVERSHOOT_DB louder than it was given, as a lossy codec may."""
    encode = audio.encode_sound
    louder = np.float32(10 ** (OVERSHOOT_DB / 20))
    monkeypatch.setattr(audio, "encode_sound",
                        lambda blocks, codec, out: encode((block * louder for block in blocks), codec, out))


def test_a_plain_encoder_keeps_the_limiters_ceiling(clicks, tmp_path):
    out = audio.programme([clicks], None, "QTRLE", tmp_path / "sound.mov")
    peak = audio.decoded_true_peak_db(out, tmp_path)
    assert audio.LIMITER_CEILING - 1.0 <= peak <= audio.TRUE_PEAK_MAX


def test_an_encoder_that_overshoots_is_answered_with_a_lower_ceiling(clicks, tmp_path, monkeypatch):
    plain = audio.integrated_loudness(audio.decode_stereo(
        audio.programme([clicks], None, "QTRLE", tmp_path / "plain.mov")))
    overshoot(monkeypatch)
    out = audio.programme([clicks], None, "QTRLE", tmp_path / "sound.mov")
    assert audio.decoded_true_peak_db(out, tmp_path) <= audio.TRUE_PEAK_MAX
    # Only the peaks were taken down: the sound is about as loud as with an encoder that does not overshoot.
    assert audio.integrated_loudness(audio.decode_stereo(out)) == pytest.approx(plain, abs=1.5)
