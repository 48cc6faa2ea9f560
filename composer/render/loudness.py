"""Measuring and limiting sound a block at a time: a BS.1770-4 loudness meter, true peaks (4x oversampled) and a
look-ahead peak limiter, each carrying its state from block to block so that a whole programme is never held.

Block by block the results equal those of the whole signal at once (the filters' states and the limiter's
release carry over; the true-peak resampler and the limiter's smoothing see enough of the neighbouring blocks).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

OVERSAMPLE = 4
SILENT_LUFS = -50.0      # quieter than this is silence or noise: left as it is
LIMITER_ATTACK = 0.002          # seconds; the gain starts falling up to twice this before a peak
LIMITER_RELEASE_DB = 25.0       # dB per second the gain recovers after a peak
PEAK_MARGIN = 64                # frames beyond the oversampling filter's reach (10 taps per phase each side)

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


class LoudnessMeter:
    """BS.1770-4 integrated loudness of a sound fed in blocks of any length (stereo (n, 2) or mono).

    The K-weighting filters carry their state across blocks, the energy of every 100 ms goes into 400 ms blocks
    overlapping by 75 %, and those pass the absolute (-70 LUFS) and relative (-10 LU) gates: the same meter as
    pyloudnorm.Meter.integrated_loudness (the tests check it). It keeps one number per 100 ms."""

    def __init__(self, sample_rate: int):
        self.step = int(round(0.1 * sample_rate))
        self.stages = _k_weighting(sample_rate)
        self.states: list[np.ndarray] | None = None
        self.energies: list[np.ndarray] = []
        self.partial = 0.0      # energy of the 100 ms step under way
        self.filled = 0         # frames of it so far

    def add(self, samples: np.ndarray) -> None:
        from scipy.signal import lfilter

        block = samples.reshape(samples.shape[0], -1).astype(np.float64)
        if not block.shape[0]:
            return
        if self.states is None:
            self.states = [np.zeros((max(len(a), len(b)) - 1, block.shape[1])) for b, a in self.stages]
        for index, (b, a) in enumerate(self.stages):
            block, self.states[index] = lfilter(b, a, block, axis=0, zi=self.states[index])
        power = np.square(block).sum(axis=1)   # channel weights are 1 for left, right and mono
        head = min(power.size, self.step - self.filled)
        self.partial += power[:head].sum()
        self.filled += head
        if self.filled < self.step:
            return
        whole = (power.size - head) // self.step
        self.energies.append(np.concatenate([[self.partial],
                                             power[head:head + whole * self.step].reshape(-1, self.step).sum(axis=1)]))
        rest = power[head + whole * self.step:]
        self.partial, self.filled = float(rest.sum()), rest.size

    def result(self) -> float | None:
        """LUFS, or None when quieter than SILENT_LUFS (silence or a noise floor, which nobody should turn up) or
        shorter than one 400 ms block."""
        energy = np.concatenate(self.energies) if self.energies else np.zeros(0)
        if energy.size < 4:
            return None
        powers = (energy[:-3] + energy[1:-2] + energy[2:-1] + energy[3:]) / (4 * self.step)
        with np.errstate(divide="ignore"):
            levels = -0.691 + 10 * np.log10(powers)
        gated = powers[levels >= -70.0]
        if gated.size == 0:
            return None
        relative = -0.691 + 10 * np.log10(gated.mean()) - 10.0
        gated = powers[(levels >= -70.0) & (levels > relative)]
        value = -0.691 + 10 * np.log10(gated.mean())
        return float(value) if value > SILENT_LUFS else None


def integrated_loudness(samples: np.ndarray, sample_rate: int, chunk: int = 1 << 16) -> float | None:
    """LoudnessMeter over an array, `chunk` frames at a time."""
    meter = LoudnessMeter(sample_rate)
    for start in range(0, samples.shape[0], chunk):
        meter.add(samples[start:start + chunk])
    return meter.result()


def _peaks(before: np.ndarray, block: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Per frame of `block`, the highest |value| of the oversampled signal (all channels) between it and the next
    frame; `before` and `after` are its neighbours, for the resampling filter."""
    from scipy.signal import resample_poly

    frames = block.reshape(block.shape[0], -1)
    around = np.concatenate([before.reshape(-1, frames.shape[1]), frames, after.reshape(-1, frames.shape[1])])
    up = resample_poly(around.astype(np.float32), OVERSAMPLE, 1, axis=0)
    lead = before.shape[0] * OVERSAMPLE
    # Rows of (OVERSAMPLE steps x channels); column-wise maxima are far faster than a max over a short axis.
    rows = np.abs(up[lead:lead + frames.shape[0] * OVERSAMPLE]).reshape(frames.shape[0], -1)
    highest = np.abs(frames[:, 0]).astype(np.float32)
    for column in range(rows.shape[1]):
        np.maximum(highest, rows[:, column], out=highest)
    for channel in range(1, frames.shape[1]):
        np.maximum(highest, np.abs(frames[:, channel]), out=highest)
    return highest


def with_true_peaks(blocks: Iterable[np.ndarray]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(block, its true peaks) for consecutive blocks: the inter-sample peaks a DAC or a decoder rebuilds
    (BS.1770-4 annex 2). One block is held back, for the filter's view of what follows."""
    previous: np.ndarray | None = None
    before = np.zeros(0, np.float32)
    for block in blocks:
        if not block.shape[0]:
            continue
        if previous is not None:
            yield previous, _peaks(before, previous, block[:PEAK_MARGIN])
            before = previous[-PEAK_MARGIN:]
        previous = block
    if previous is not None:
        yield previous, _peaks(before, previous, np.zeros(0, np.float32))


def true_peaks(samples: np.ndarray, block: int = 1 << 16) -> np.ndarray:
    """with_true_peaks over an array: one peak per frame."""
    pieces = [peaks for _, peaks in with_true_peaks(samples[at:at + block]
                                                     for at in range(0, samples.shape[0], block))]
    return np.concatenate(pieces) if pieces else np.zeros(0, np.float32)


class Limiter:
    """The gain (<= 1) per frame that keeps `peaks * gain <= ceiling`, shaped like a look-ahead limiter, for peaks
    fed in blocks; gains come out as soon as enough of what follows is known (push), the rest at finish.

    The gain reduction a frame needs (in dB) is held and released at LIMITER_RELEASE_DB per second, then smoothed
    by a centred maximum and mean of 2 * LIMITER_ATTACK: a window's maximum covers every sample of the mean that
    follows, so the smoothed reduction is never below what a frame needs, and the gain glides down ahead of each
    peak instead of bending the waveform (a clipper's distortion)."""

    def __init__(self, ceiling: float, sample_rate: int):
        self.ceiling = ceiling
        self.step = LIMITER_RELEASE_DB / sample_rate
        self.width = 2 * max(1, int(LIMITER_ATTACK * sample_rate)) + 1
        self.reach = 2 * (self.width // 2)     # frames of context the smoothing needs on each side
        self.carry: float | None = None         # the released reduction at the last frame pushed
        self.released = np.zeros(0)             # [context already given out][not yet given out]
        self.context = 0

    def push(self, peaks: np.ndarray) -> np.ndarray:
        needed = 20 * np.log10(np.maximum(peaks.astype(np.float64), 1e-12) / self.ceiling)
        np.maximum(needed, 0, out=needed)
        ramp = self.step * np.arange(needed.size, dtype=np.float64)
        released = np.maximum.accumulate(needed + ramp) - ramp
        if self.carry is not None and released.size:
            np.maximum(released, self.carry - self.step - ramp, out=released)
        if released.size:
            self.carry = float(released[-1])
        self.released = np.concatenate([self.released, released])
        return self._give(final=False)

    def finish(self) -> np.ndarray:
        return self._give(final=True)

    def _give(self, final: bool) -> np.ndarray:
        from scipy.ndimage import maximum_filter1d, uniform_filter1d

        waiting = self.released.size - self.context
        ready = waiting if final else waiting - self.reach
        if ready <= 0:
            return np.zeros(0, np.float32)
        window = self.released[:self.context + ready + (0 if final else self.reach)]
        held = maximum_filter1d(window, self.width, mode="nearest")
        smoothed = np.maximum(uniform_filter1d(held, self.width, mode="nearest"), window)
        gains = (10 ** (-smoothed[self.context:self.context + ready] / 20)).astype(np.float32)
        keep = max(0, self.context + ready - self.reach)
        self.released = self.released[keep:]
        self.context = self.context + ready - keep
        return gains


def limiter_gain(peaks: np.ndarray, ceiling: float, sample_rate: int) -> np.ndarray:
    """Limiter gains for a whole array of peaks (|x|, or a true-peak estimate)."""
    if peaks.size == 0 or peaks.max() <= ceiling:   # nothing to limit (the usual case): no work at all
        return np.ones(peaks.size, np.float32)
    limiter = Limiter(ceiling, sample_rate)
    return np.concatenate([limiter.push(peaks), limiter.finish()])
