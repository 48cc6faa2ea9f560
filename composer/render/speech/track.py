"""A scene's speech as plain data: the samples and what happens when (phonemes for the mouth, words for the
subtitles, actions for the avatar). Every speech module and the engine share these shapes."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

SAMPLE_RATE = 22050


@dataclass(frozen=True)
class TimedPhoneme:
    start: float
    end: float
    phoneme: str


@dataclass(frozen=True)
class TimedWord:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class TimedAction:
    time: float
    name: str


@dataclass
class SpeechTrack:
    """A scene's speech: mono float32 samples in [-1, 1] and what happens when (all times in seconds)."""

    samples: np.ndarray
    sample_rate: int
    phonemes: list[TimedPhoneme] = field(default_factory=list)
    words: list[TimedWord] = field(default_factory=list)      # display text, for subtitles
    actions: list[TimedAction] = field(default_factory=list)
    duration: float = -1.0                                     # left out: the length of the samples

    def __post_init__(self) -> None:
        if self.duration < 0:
            self.duration = self.samples.size / self.sample_rate
