"""Broadcast-ready sound, judged on the decoded output with PyAV and a BS.1770 meter (pyloudnorm), not on the
engine's own numbers: loudness, true peak, scene-to-scene consistency, break lengths, ducking ahead of speech."""
from __future__ import annotations

import av
import numpy as np
import pyloudnorm
import pytest
from scipy.signal import resample_poly

from composer.render import join_scenes, render, render_scene
from tests.support.render import spec

SUFFIX = {"H264": "mp4", "VP8": "webm", "QTRLE": "mov"}
WINDOW = 0.005   # envelope resolution in seconds


def tiny(text: str = "", **kw) -> dict:
    return spec(text, clip_mode="CROP", width=64, height=36, crop=(0, 0), **kw)


def decode_audio(path) -> tuple[np.ndarray, int]:
    """The output's sound as float (n, 2) and its sample rate."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=stream.rate)
        blocks = [out.to_ndarray().T for frame in container.decode(stream) for out in resampler.resample(frame)]
        return np.concatenate(blocks).astype(np.float64), stream.rate


def loudness(samples: np.ndarray, rate: int) -> float:
    return pyloudnorm.Meter(rate).integrated_loudness(samples)


def true_peak_db(samples: np.ndarray) -> float:
    oversampled = resample_poly(samples, 4, 1, axis=0)
    return 20 * np.log10(np.abs(oversampled).max())


def envelope_db(samples: np.ndarray, rate: int) -> np.ndarray:
    """Peak level of every WINDOW, in dB relative to the loudest window."""
    size = int(WINDOW * rate)
    level = np.abs(samples).max(axis=1)
    blocks = level[: level.size // size * size].reshape(-1, size).max(axis=1)
    return 20 * np.log10(np.maximum(blocks, 1e-9) / blocks.max())


def longest_gap(samples: np.ndarray, rate: int, threshold_db: float = -40.0) -> float:
    """Seconds between the last sound before and the first sound after the longest quiet stretch."""
    loud = np.flatnonzero(envelope_db(samples, rate) > threshold_db)
    return float((np.diff(loud).max() - 1) * WINDOW)


@pytest.mark.parametrize("codec", ["H264", "VP8", "QTRLE"])
def test_it_speaks_at_minus_16_lufs_with_true_peak_under_minus_1_dbtp(tmp_path, resolver, codec):
    result = render(tiny("Hello everyone, and welcome to the studio.", codec=codec), resolver,
                    tmp_path / f"speech.{SUFFIX[codec]}")
    samples, rate = decode_audio(result.output)
    assert loudness(samples, rate) == pytest.approx(-16, abs=1)
    assert true_peak_db(samples) <= -1.0


@pytest.mark.parametrize("codec", ["H264", "VP8"])
def test_speech_over_music_is_at_minus_16_lufs_with_true_peak_under_minus_1_dbtp(tmp_path, resolver, codec):
    text = '<speak>Music under the voice. <break time="1s"/> And back again.</speak>'
    result = render(tiny(text, codec=codec, music="music-calm-pads"), resolver,
                    tmp_path / f"music.{SUFFIX[codec]}")
    samples, rate = decode_audio(result.output)
    assert loudness(samples, rate) == pytest.approx(-16, abs=1)
    assert true_peak_db(samples) <= -1.0


def test_scenes_of_different_voices_and_volumes_come_out_equally_loud(tmp_path, resolver):
    scenes = [{"text": '<speak><prosody volume="x-soft">A quiet English scene, said softly.</prosody></speak>'},
              {"text": '<speak><prosody volume="loud">我们今天很高兴见到大家。</prosody></speak>'}]
    body = spec(scenes=scenes, clip_mode="CROP", width=64, height=36, crop=(0, 0))
    parts = [render_scene(body, index, resolver, tmp_path / f"scene-{index}") for index in range(2)]
    result = join_scenes(body, parts, tmp_path / "two.mp4", resolver)
    samples, rate = decode_audio(result.output)
    cut = int(round(parts[0].duration * rate))
    first, second = loudness(samples[:cut], rate), loudness(samples[cut:], rate)
    assert abs(first - second) <= 1.0
    assert loudness(samples, rate) == pytest.approx(-16, abs=1)


@pytest.mark.parametrize(("markup", "seconds"), [
    ('<break time="1500ms"/>', 1.5),
    ('<break time="300ms"/>', 0.3),
    ('<break strength="strong"/>', 0.75),
])
def test_a_break_is_as_long_as_it_says_and_no_longer(tmp_path, resolver, markup, seconds):
    result = render(tiny(f"<speak>Hello there. {markup} Goodbye now.</speak>"), resolver, tmp_path / "b.mp4")
    samples, rate = decode_audio(result.output)
    assert longest_gap(samples, rate) == pytest.approx(seconds, abs=0.05)


def test_the_music_is_already_ducked_when_the_voice_starts(tmp_path, resolver):
    text = '<speak><break time="1500ms"/> Here I am.</speak>'
    dry = render(tiny(text, codec="QTRLE"), resolver, tmp_path / "dry.mov")
    samples, rate = decode_audio(dry.output)
    onset = np.flatnonzero(envelope_db(samples, rate) > -40)[0] * WINDOW
    assert onset > 1.0
    wet = render(tiny(text, codec="QTRLE", music="music-calm-pads"), resolver, tmp_path / "wet.mov")
    music, rate = decode_audio(wet.output)

    def rms(start: float, end: float) -> float:
        return float(np.sqrt(np.mean(music[int(start * rate):int(end * rate)] ** 2)))

    free = rms(0.2, 0.7)
    assert 20 * np.log10(rms(onset - 0.03, onset) / free) <= -6.0


def test_a_silent_scene_stays_silent(tmp_path, resolver):
    result = render(tiny('<speak><break time="2s"/></speak>'), resolver, tmp_path / "quiet.mp4")
    samples, _ = decode_audio(result.output)
    assert np.abs(samples).max() < 1e-3


def test_the_engine_meter_agrees_with_pyloudnorm():
    from composer.render.audio import MIX_RATE, integrated_loudness

    t = np.arange(5 * MIX_RATE + 777) / MIX_RATE
    bursts = 0.3 * np.sin(2 * np.pi * 220 * t) * (np.sin(2 * np.pi * 0.4 * t) > 0)
    noise = 0.02 * np.random.default_rng(3).standard_normal(t.size)
    samples = np.stack([bursts, noise], axis=1)
    # pyloudnorm designs its K-weighting a little differently from the standard's coefficients (used by the
    # engine, checked below): the two meters differ by a few hundredths of a LU.
    assert integrated_loudness(samples, chunk=4800 * 3) == pytest.approx(loudness(samples, MIX_RATE), abs=0.06)
    assert integrated_loudness(np.zeros((MIX_RATE, 2))) is None


def test_the_engine_k_weighting_is_the_standards_at_48_khz():
    from composer.render.loudness import _k_weighting

    (shelf_b, shelf_a), (high_b, high_a) = _k_weighting(48000)
    # ITU-R BS.1770-4, tables 1 and 2.
    assert shelf_b == pytest.approx([1.53512485958697, -2.69169618940638, 1.19839281085285], abs=1e-9)
    assert shelf_a == pytest.approx([1.0, -1.69065929318241, 0.73248077421585], abs=1e-9)
    assert high_b == pytest.approx([1.0, -2.0, 1.0])
    assert high_a == pytest.approx([1.0, -1.99004745483398, 0.99007225036621], abs=1e-9)


def test_the_limiter_lowers_peaks_without_clipping_the_waveform():
    from composer.render.audio import MIX_RATE, limit_true_peak

    t = np.arange(2 * MIX_RATE) / MIX_RATE
    tone = (2.0 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)      # +6 dBFS
    out = limit_true_peak(np.stack([tone, tone], axis=1), ceiling_db=-2.0)[:, 0]
    assert true_peak_db(out[:, None]) <= -1.95
    # A clipper would put the lost peak energy into odd harmonics; a gain that glides leaves a pure tone.
    steady = out[MIX_RATE // 2: MIX_RATE // 2 + MIX_RATE // 2]
    spectrum = np.abs(np.fft.rfft(steady * np.hanning(steady.size)))
    third = spectrum[1490:1510].max() / spectrum[490:510].max()      # 2 Hz bins: 3 kHz against 1 kHz
    assert 20 * np.log10(third) < -60


def test_block_by_block_the_peaks_and_the_limiter_equal_the_whole_signals():
    from composer.render.loudness import Limiter, limiter_gain, true_peaks

    rng = np.random.default_rng(7)
    sound = (rng.standard_normal((48000 * 3 + 17, 2)) * 0.4).astype(np.float32)
    whole = true_peaks(sound, block=sound.shape[0])
    assert np.array_equal(true_peaks(sound, block=4001), whole)
    limiter = Limiter(0.5, 48000)
    pieces = [limiter.push(whole[at:at + 3001]) for at in range(0, whole.size, 3001)] + [limiter.finish()]
    assert np.allclose(np.concatenate(pieces), limiter_gain(whole, 0.5, 48000), atol=1e-6)


def test_words_and_phonemes_move_with_the_trimmed_sound():
    from composer.render.speech import synthesize_script, voice_ref_for

    track = synthesize_script('<speak>Hello there. <break time="1500ms"/> Goodbye now.</speak>',
                              voice_ref_for("voice-en-us-joe"))
    samples = track.samples[:, None].astype(np.float64)
    loud = np.flatnonzero(envelope_db(samples, track.sample_rate) > -40)
    gap = int(np.argmax(np.diff(loud)))
    sound_stops, sound_starts = (loud[gap] + 1) * WINDOW, loud[gap + 1] * WINDOW
    there, goodbye = track.words[1], track.words[2]
    assert there.end == pytest.approx(sound_stops, abs=0.05)
    assert goodbye.start == pytest.approx(sound_starts, abs=0.05)
    first_after = next(p for p in track.phonemes if p.phoneme != " " and p.start > there.end)
    assert first_after.start == pytest.approx(sound_starts, abs=0.05)
