"""AUDIO-driven scenes: decode the given audio file with PyAV (file protocol only) to mono float32."""
from __future__ import annotations

import tempfile
from pathlib import Path

import av
import numpy as np

from composer.render import pcm
from composer.render.speech.track import SAMPLE_RATE, SpeechTrack, TimedAction

MAX_AUDIO_SECONDS = 36000
# Media containers only: playlist and concat demuxers would read other files named inside the upload.
ALLOWED_DEMUXERS = frozenset({"wav", "w64", "mp3", "flac", "ogg", "mov", "mp4", "m4a", "matroska", "webm", "aac",
                              "aiff", "caf", "amr"})


def decode_audio_to_file(path: Path, out: Path, sample_rate: int) -> int:
    """Any audio (or video's audio) file -> a mono float32 sound file at `sample_rate` (composer.render.pcm);
    returns its frames."""
    with av.open(str(path), options={"protocol_whitelist": "file"}) as container, \
            pcm.SoundWriter(out, channels=1) as writer:
        if not ALLOWED_DEMUXERS.intersection(container.format.name.split(",")):
            raise ValueError(f"{path.name}: {container.format.name} files are not accepted as audio")
        if not container.streams.audio:
            raise ValueError(f"{path.name}: no audio stream")
        # Channels are averaged here rather than by FFmpeg's downmix, which adds 3 dB when they agree.
        resampler = av.AudioResampler(format="fltp", rate=sample_rate)
        for frame in container.decode(audio=0):
            for out_frame in resampler.resample(frame):
                writer.write(out_frame.to_ndarray().mean(axis=0))
            if writer.written > MAX_AUDIO_SECONDS * sample_rate:
                raise ValueError(f"{path.name}: longer than {MAX_AUDIO_SECONDS} s")
        for out_frame in resampler.resample(None):
            writer.write(out_frame.to_ndarray().mean(axis=0))
        return writer.written


def decode_audio(path: Path, sample_rate: int) -> np.ndarray:
    """Any audio (or video's audio) file -> mono float32 at `sample_rate`, in memory."""
    with tempfile.TemporaryDirectory(prefix="audio-") as folder:
        decode_audio_to_file(Path(path), Path(folder) / "audio.npy", sample_rate)
        return np.load(Path(folder) / "audio.npy")


def load_audio_track(path: Path, actions: list[dict]):
    """A SpeechTrack for an AUDIO scene: the decoded audio, no phonemes (the mouth follows the audio itself)."""
    samples = decode_audio(Path(path), SAMPLE_RATE)
    timed = [TimedAction(float(a["action_start_time"]), a.get("action_name") or a["action_tag"])
             for a in sorted(actions, key=lambda a: a["action_start_time"])]
    return SpeechTrack(samples, SAMPLE_RATE, [], [], timed)
