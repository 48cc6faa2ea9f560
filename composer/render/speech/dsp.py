"""Signal helpers for speech: resampling, a duration-keeping pitch shift, gain with a look-ahead limiter."""
from __future__ import annotations

import numpy as np

from composer.render.loudness import limiter_gain


def resample(samples: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Linear-interpolation resampling, low-passed first when downsampling (speech tolerates this well)."""
    if rate_in == rate_out or samples.size == 0:
        return samples.astype(np.float32, copy=False)
    duration = samples.size / rate_in
    count = int(round(duration * rate_out))
    if rate_out < rate_in:
        samples = lowpass(samples, cutoff=0.45 * rate_out / rate_in)
    positions = np.linspace(0, samples.size - 1, count, dtype=np.float64)
    return np.interp(positions, np.arange(samples.size), samples).astype(np.float32)


def lowpass(samples: np.ndarray, cutoff: float, taps: int = 63) -> np.ndarray:
    """FIR low-pass; cutoff as a fraction of the sample rate (0..0.5)."""
    n = np.arange(taps) - (taps - 1) / 2
    kernel = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hamming(taps)
    kernel /= kernel.sum()
    return np.convolve(samples, kernel, mode="same").astype(np.float32)


def time_stretch(samples: np.ndarray, factor: float, sample_rate: int) -> np.ndarray:
    """WSOLA: make the signal `factor` times longer without changing its pitch."""
    if abs(factor - 1.0) < 1e-3 or samples.size == 0:
        return samples.astype(np.float32, copy=False)
    frame = int(0.030 * sample_rate)
    synthesis_hop = frame // 2
    analysis_hop = synthesis_hop / factor
    tolerance = int(0.008 * sample_rate)
    window = np.hanning(frame).astype(np.float32)
    padded = np.concatenate([np.zeros(frame + tolerance, np.float32), samples.astype(np.float32),
                             np.zeros(frame + tolerance, np.float32)])
    out_len = int(samples.size * factor) + frame
    out = np.zeros(out_len + frame, np.float32)
    norm = np.zeros(out_len + frame, np.float32)
    offset = frame + tolerance
    prev_best = offset
    k = 0
    while True:
        out_pos = k * synthesis_hop
        nominal = int(round(offset + k * analysis_hop))
        if nominal + frame + tolerance >= padded.size or out_pos + frame > out.size:
            break
        if k == 0:
            best = nominal
        else:
            # The natural continuation of the last frame is what we try to match.
            target = padded[prev_best + synthesis_hop: prev_best + synthesis_hop + frame]
            region = padded[nominal - tolerance: nominal + tolerance + frame]
            scores = np.correlate(region, target, mode="valid")
            best = nominal - tolerance + int(np.argmax(scores))
        segment = padded[best:best + frame]
        out[out_pos:out_pos + frame] += segment * window
        norm[out_pos:out_pos + frame] += window
        prev_best = best
        k += 1
    norm[norm < 1e-3] = 1.0
    return (out / norm)[:int(samples.size * factor)].astype(np.float32)


def pitch_shift(samples: np.ndarray, factor: float, sample_rate: int) -> np.ndarray:
    """Raise (factor > 1) or lower the pitch by `factor` while keeping the duration."""
    if abs(factor - 1.0) < 1e-3 or samples.size == 0:
        return samples
    stretched = time_stretch(samples, factor, sample_rate)
    shifted = resample(stretched, int(round(sample_rate * factor)), sample_rate)
    if shifted.size < samples.size:
        shifted = np.pad(shifted, (0, samples.size - shifted.size))
    return shifted[:samples.size]


def apply_gain(samples: np.ndarray, gain: float, sample_rate: int = 22050) -> np.ndarray:
    """Scale, then a look-ahead limiter at -1 dBFS so loud settings never clip."""
    scaled = (samples * gain).astype(np.float32)
    return scaled * limiter_gain(np.abs(scaled), 0.89, sample_rate)


def silence(seconds: float, sample_rate: int) -> np.ndarray:
    return np.zeros(int(round(seconds * sample_rate)), np.float32)
