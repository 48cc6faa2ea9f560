"""The soundtrack: speech and video-layer sound per scene, background music looped, ducked and faded, and
the master that makes every output broadcast-ready.

Loudness (ITU-R BS.1770-4, measured with pyloudnorm): every output plays at TARGET_LUFS integrated with its
true peak (4x oversampled) at most -1 dBTP, whatever the voice, the voice_config volume, the music or the codec.
It happens in two steps so that scenes sound alike and stay cacheable:

1. level_scene (render_scene, per scene): the scene's sound gets the one gain that brings its speech to
   TARGET_LUFS (plus the voice_config volume as an offset, which now sets the voice against the music).
   It depends only on the scene, so a cached segment's audio stays valid, and two scenes of different voices
   or prosody volumes meet at the same level instead of jumping at the cut.
2. master (join_scenes, whole programme): speech, video sound and the ducked music together are measured
   once and given one gain to TARGET_LUFS (a small correction: the music adds a little), then a look-ahead
   limiter on the 4x oversampled peaks keeps them under LIMITER_CEILING; the loudness the limiter takes off is
   measured and given back (a second pass). One gain for the programme keeps the scenes' balance.

Normalising each scene's finished mix instead would make the music step at every cut; measuring only at the
join would keep a soft scene soft next to a loud one. Sound quieter than SILENT_LUFS (silence, a noise floor)
is never raised. A scene's audio is the only audio a scene render holds; the join holds the soundtrack it
encodes (stereo float32, about 23 MB a minute), and true peaks are computed in blocks.
"""
from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from composer.render.speech.dsp import limiter_gain

MIX_RATE = 48000
FADE_OUT = 2.0
DUCK_DB = -12.0
DUCK_LOOKAHEAD = 0.2     # seconds: the music starts going down this long before the voice comes in
TAIL = 0.3
TARGET_LUFS = -16.0      # integrated loudness of every output (web video); the render's loudness setting
TRUE_PEAK_MAX = -1.0     # dBTP the decoded output may reach
# The limiter aims lower than TRUE_PEAK_MAX: AAC and Opus rebuild peaks up to about a dB above the input's.
LIMITER_CEILING = -2.0
SILENT_LUFS = -50.0      # quieter than this is silence or noise: left as it is
OVERSAMPLE = 4


def decode_stereo(path: Path, sample_rate: int = MIX_RATE, max_seconds: float = 3600) -> np.ndarray:
    """Any audio (or a video's audio) -> stereo float32 (n, 2), file protocol only."""
    pieces: list[np.ndarray] = []
    with av.open(str(path), options={"protocol_whitelist": "file"}) as container:
        if not container.streams.audio:
            raise ValueError(f"{Path(path).name}: no audio stream")
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=sample_rate)
        total = 0
        for frame in container.decode(audio=0):
            for out in resampler.resample(frame):
                block = out.to_ndarray().T
                pieces.append(block)
                total += block.shape[0]
            if total > max_seconds * sample_rate:
                break
        for out in resampler.resample(None):
            pieces.append(out.to_ndarray().T)
    return np.concatenate(pieces).astype(np.float32) if pieces else np.zeros((0, 2), np.float32)


def to_stereo_mix_rate(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """Mono speech -> stereo at the mix rate (PyAV's resampler: band-limited, good quality)."""
    if samples.size == 0:
        return np.zeros((0, 2), np.float32)
    frame = av.AudioFrame.from_ndarray(samples.astype(np.float32).reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = sample_rate
    resampler = av.AudioResampler(format="fltp", layout="stereo", rate=MIX_RATE)
    blocks = [f.to_ndarray().T for f in resampler.resample(frame)] + \
        [f.to_ndarray().T for f in resampler.resample(None)]
    out = np.concatenate(blocks).astype(np.float32)
    wanted = int(round(samples.size / sample_rate * MIX_RATE))
    if out.shape[0] < wanted:
        out = np.pad(out, ((0, wanted - out.shape[0]), (0, 0)))
    return out[:wanted]


def fit_length(samples: np.ndarray, frames: int) -> np.ndarray:
    if samples.shape[0] >= frames:
        return samples[:frames]
    return np.pad(samples, ((0, frames - samples.shape[0]), (0, 0)))


def speech_envelope(speech: np.ndarray, *, attack: float = 0.05, release: float = 0.35,
                    lookahead: float = DUCK_LOOKAHEAD) -> np.ndarray:
    """0..1 per sample: how much speech is present, smoothed (fast attack, slow release).

    It looks ahead: speech counts as present from `lookahead` seconds before it starts, so the attack (four
    time constants in the default 0.2 s) is over when the voice comes in, and gaps shorter than that between
    words do not let the music swell. The release starts when the speech ends."""
    level = np.abs(speech).max(axis=1) if speech.ndim == 2 else np.abs(speech)
    hop = MIX_RATE // 100
    frames = max(1, level.size // hop)
    blocks = level[:frames * hop].reshape(frames, hop).max(axis=1) if level.size >= hop else np.array([0.0])
    active = (blocks > 0.02).astype(np.float32)
    ahead = int(round(lookahead * 100))
    if ahead:
        from scipy.ndimage import maximum_filter1d

        # Block i is active when any of blocks i..i+ahead is (a window reaching forward only).
        active = maximum_filter1d(active, ahead + 1, origin=-(ahead // 2) - (ahead % 2), mode="constant")
    smoothed = np.zeros_like(active)
    up, down = 1 - np.exp(-0.01 / attack), 1 - np.exp(-0.01 / release)
    value = 0.0
    for i, target in enumerate(active):
        value += (target - value) * (up if target > value else down)
        smoothed[i] = value
    envelope = np.repeat(smoothed, hop)
    return np.pad(envelope, (0, max(0, level.size - envelope.size)))[:level.size]


def music_bed(path: Path, frames: int, volume: int, speech: np.ndarray) -> np.ndarray:
    """The music looped or trimmed to `frames`, at volume %, ducked under speech, faded out at the end."""
    music = decode_stereo(path)
    if music.shape[0] == 0 or frames == 0:
        return np.zeros((frames, 2), np.float32)
    repeats = int(np.ceil(frames / music.shape[0]))
    bed = np.tile(music, (repeats, 1))[:frames] * (volume / 100.0)
    duck = 10 ** (DUCK_DB / 20)
    bed *= (1 - (1 - duck) * speech_envelope(speech))[:, None]
    fade = min(frames, int(FADE_OUT * MIX_RATE))
    bed[frames - fade:] *= np.linspace(1, 0, fade, dtype=np.float32)[:, None]
    return bed.astype(np.float32)


# BS.1770-4's K-weighting as two biquads, by their analogue parameters (the standard gives the coefficients at
# 48 kHz; these parameters reproduce them there and give the same curve at any other rate).
SHELF_HZ, SHELF_DB, SHELF_Q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
HIGHPASS_HZ, HIGHPASS_Q = 38.13547087602444, 0.5003270373238773


def _k_weighting(sample_rate: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(b, a) of the K-weighting stages: the high-shelf 'head' filter, then the RLB high-pass."""
    k = np.tan(np.pi * SHELF_HZ / sample_rate)
    vh = 10 ** (SHELF_DB / 20)
    vb = vh ** 0.4996667741545416
    a0 = 1 + k / SHELF_Q + k * k
    shelf = (np.array([(vh + vb * k / SHELF_Q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / SHELF_Q + k * k) / a0]),
             np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / SHELF_Q + k * k) / a0]))
    k = np.tan(np.pi * HIGHPASS_HZ / sample_rate)
    a0 = 1 + k / HIGHPASS_Q + k * k
    highpass = (np.array([1.0, -2.0, 1.0]), np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / HIGHPASS_Q + k * k) / a0]))
    return [shelf, highpass]


def integrated_loudness(samples: np.ndarray, sample_rate: int = MIX_RATE, chunk: int = 1 << 16) -> float | None:
    """BS.1770-4 integrated loudness in LUFS of stereo (n, 2) or mono samples; None when quieter than
    SILENT_LUFS (silence or a noise floor, which nobody should turn up) or shorter than one 400 ms block.

    The K-weighting filters run over the sound in chunks (filter state carried across), the energy
    of every 100 ms goes into 400 ms blocks overlapping by 75 %, and the blocks pass the absolute (-70 LUFS)
    and relative (-10 LU) gates: the same meter as pyloudnorm.Meter.integrated_loudness (the tests check it),
    without a float64 copy of the programme and a Python loop per block."""
    from scipy.signal import lfilter

    frames = samples.reshape(samples.shape[0], -1)
    step = int(round(0.1 * sample_rate))
    if frames.shape[0] < 4 * step:
        return None
    stages = _k_weighting(sample_rate)
    states = [np.zeros((max(len(a), len(b)) - 1, frames.shape[1])) for b, a in stages]
    chunk -= chunk % step
    energies = []
    for start in range(0, frames.shape[0] // step * step, chunk):
        block = frames[start:start + chunk].astype(np.float64)
        for index, (b, a) in enumerate(stages):
            block, states[index] = lfilter(b, a, block, axis=0, zi=states[index])
        power = np.square(block).sum(axis=1)   # channel weights are 1 for left, right and mono
        energies.append(power[:power.size // step * step].reshape(-1, step).sum(axis=1))
    energy = np.concatenate(energies)
    powers = (energy[:-3] + energy[1:-2] + energy[2:-1] + energy[3:]) / (4 * step)
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(powers)
    gated = powers[levels >= -70.0]
    if gated.size == 0:
        return None
    relative = -0.691 + 10 * np.log10(gated.mean()) - 10.0
    gated = powers[(levels >= -70.0) & (levels > relative)]
    value = -0.691 + 10 * np.log10(gated.mean())
    return float(value) if value > SILENT_LUFS else None


def true_peaks(samples: np.ndarray, block: int = 1 << 16) -> np.ndarray:
    """Per sample, the highest |value| of the OVERSAMPLE-times oversampled signal (all channels) between it and
    the next sample: the inter-sample peaks a DAC or a decoder rebuilds (BS.1770-4 annex 2). In blocks, so
    the 4x signal never exists whole."""
    from scipy.signal import resample_poly

    frames = samples.reshape(samples.shape[0], -1)
    margin = 64  # beyond the polyphase filter's reach (10 taps per phase each side)
    peaks = np.empty(frames.shape[0], np.float32)
    for start in range(0, frames.shape[0], block):
        stop = min(start + block, frames.shape[0])
        lo, hi = max(0, start - margin), min(frames.shape[0], stop + margin)
        up = resample_poly(frames[lo:hi].astype(np.float32), OVERSAMPLE, 1, axis=0)
        # Rows of (OVERSAMPLE steps x channels); column-wise maxima are far faster than a max over a short axis.
        rows = np.abs(up[(start - lo) * OVERSAMPLE:(stop - lo) * OVERSAMPLE]).reshape(stop - start, -1)
        highest = np.abs(frames[start:stop, 0]).astype(np.float32)
        for column in range(rows.shape[1]):
            np.maximum(highest, rows[:, column], out=highest)
        for channel in range(1, frames.shape[1]):
            np.maximum(highest, np.abs(frames[start:stop, channel]), out=highest)
        peaks[start:stop] = highest
    return peaks


def limit_true_peak(mix: np.ndarray, gain_db: float = 0.0, ceiling_db: float = LIMITER_CEILING, *,
                    peaks: np.ndarray | None = None) -> np.ndarray:
    """The mix times gain_db with a look-ahead limiter on its oversampled peaks: nothing above ceiling_db
    dBTP. `peaks` (true_peaks of the mix) may be passed in: peaks scale with the gain."""
    gain = np.float32(10 ** (gain_db / 20))
    peaks = true_peaks(mix) if peaks is None else peaks
    limited = limiter_gain(peaks * gain, 10 ** (ceiling_db / 20), MIX_RATE)
    limited *= gain
    return mix * limited[:, None]


def level_scene(sound: np.ndarray, speech: np.ndarray, offset_db: float = 0.0) -> np.ndarray:
    """A scene's sound with the one gain that puts its speech (or, when it has none, its whole sound) at
    TARGET_LUFS + offset_db. Peaks may pass 1.0 here: the master limits the programme."""
    loudness = integrated_loudness(speech)
    if loudness is None:
        loudness, offset_db = integrated_loudness(sound), 0.0
    if loudness is None:
        return sound.astype(np.float32)
    return (sound * 10 ** ((TARGET_LUFS + offset_db - loudness) / 20)).astype(np.float32)


def master(mix: np.ndarray, target_lufs: float = TARGET_LUFS) -> np.ndarray:
    """The programme at `target_lufs` integrated with true peaks under LIMITER_CEILING: one gain for the
    whole mix, then the look-ahead limiter, then once more the gain the limiter's work cost (see above)."""
    mix = mix.astype(np.float32, copy=False)
    peaks = true_peaks(mix)
    loudness = integrated_loudness(mix)
    if loudness is None:
        return limit_true_peak(mix, peaks=peaks)
    gain_db = target_lufs - loudness
    for _ in range(3):
        out = limit_true_peak(mix, gain_db, peaks=peaks)
        error = target_lufs - (integrated_loudness(out) or target_lufs)
        if abs(error) < 0.05:
            break
        gain_db += error
    return out
