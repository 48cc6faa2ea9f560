"""AUDIO-driven scenes: decode the given audio file with PyAV (file protocol only) to mono float32."""
from __future__ import annotations

from pathlib import Path

import av
import numpy as np

MAX_AUDIO_SECONDS = 36000


def decode_audio(path: Path, sample_rate: int) -> np.ndarray:
    """Any audio (or video's audio) file -> mono float32 at `sample_rate`."""
    pieces: list[np.ndarray] = []
    with av.open(str(path), options={"protocol_whitelist": "file"}) as container:
        if not container.streams.audio:
            raise ValueError(f"{path.name}: no audio stream")
        resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
        for frame in container.decode(audio=0):
            for out in resampler.resample(frame):
                pieces.append(out.to_ndarray().reshape(-1))
            if sum(p.size for p in pieces) > MAX_AUDIO_SECONDS * sample_rate:
                raise ValueError(f"{path.name}: longer than {MAX_AUDIO_SECONDS} s")
        for out in resampler.resample(None):
            pieces.append(out.to_ndarray().reshape(-1))
    return np.concatenate(pieces).astype(np.float32) if pieces else np.zeros(0, np.float32)


def load_audio_track(path: Path, actions: list[dict]):
    """A SpeechTrack for an AUDIO scene: the decoded audio, no phonemes (the mouth follows the audio itself)."""
    from composer.render.speech import SAMPLE_RATE, SpeechTrack, TimedAction

    samples = decode_audio(Path(path), SAMPLE_RATE)
    timed = [TimedAction(float(a["action_start_time"]), a.get("action_name") or a["action_tag"])
             for a in sorted(actions, key=lambda a: a["action_start_time"])]
    return SpeechTrack(samples, SAMPLE_RATE, [], [], timed)
