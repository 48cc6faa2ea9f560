"""The soundtrack: speech and video-layer sound per scene, background music looped, ducked and faded."""
from __future__ import annotations

from pathlib import Path

import av
import numpy as np

MIX_RATE = 48000
FADE_OUT = 2.0
DUCK_DB = -12.0
TAIL = 0.3


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


def speech_envelope(speech: np.ndarray, *, attack: float = 0.05, release: float = 0.35) -> np.ndarray:
    """0..1 per sample: how much speech is present, smoothed (fast attack, slow release)."""
    level = np.abs(speech).max(axis=1) if speech.ndim == 2 else np.abs(speech)
    hop = MIX_RATE // 100
    frames = max(1, level.size // hop)
    blocks = level[:frames * hop].reshape(frames, hop).max(axis=1) if level.size >= hop else np.array([0.0])
    active = (blocks > 0.02).astype(np.float32)
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


def master(mix: np.ndarray) -> np.ndarray:
    """Keep the mix under -1 dBFS without pumping: one gain for the whole programme."""
    peak = float(np.max(np.abs(mix))) if mix.size else 0.0
    ceiling = 10 ** (-1 / 20)
    return (mix * (ceiling / peak)).astype(np.float32) if peak > ceiling else mix.astype(np.float32)
