"""Speech helpers for the editor: checking a scene's script text as the user types, estimating how long it will
be spoken, and short voice samples ("auditions") spoken by the same engine as renders.

The estimate does not synthesise: it walks the same runs the renderer speaks (composer.render.speech.realize
routes CJK text to its eSpeak NG voice) and prices each one with a speaking rate measured on the built-in
voices, plus every pause exactly. Samples are synthesised and kept in a small on-disk LRU cache keyed by their
parameters, so auditioning the same settings twice is instant.
"""
from __future__ import annotations

import io
import logging
import wave
from typing import Any

import numpy as np

from composer.assets.resolver import ProjectAssetResolver
from composer.assets.services import find_asset, spec_asset_checker
from composer.errors import InvalidInput, json_object
from composer.lib.canonical import content_hash
from composer.lib.filecache import FileCache
from composer.scripts.length_rules import max_scene_seconds, scene_rule
from composer.spec import SpecError, ssml
from composer.spec.rules import MAX_SPOKEN_CHARACTERS
from composer.spec.schema import Str
from composer.spec.ssml import SsmlError, count_spoken_characters, parse_script_text
from composer.spec.tables import SCRIPT_TYPES, TEXT_CONFIG, VOICE_CONFIG
from composer.teams.models import Project

log = logging.getLogger(__name__)

# Seconds per spoken unit at speed 100, measured by synthesising a 70-word English paragraph and short CJK
# passages with the built-in voices at speeds 50, 100 and 200. Piper keeps a part of each word's time whatever
# the speed (fixed + per_speed / rate fits all three within 1 %); eSpeak NG scales almost linearly.
PIPER_WORD = (0.071, 0.223)
ESPEAK_WORD = (0.0, 0.314)
ESPEAK_CJK_CHARACTER = {"cmn": (0.0, 0.284), "ja": (0.0, 0.134), "ko": (0.0, 0.171)}

SAMPLE_MAX_CHARACTERS = 200
SAMPLE_MAX_SECONDS = 20.0
SAMPLE_CACHE_FILES = 200
SAMPLES = FileCache("voice-samples", ".wav", SAMPLE_CACHE_FILES)
SAMPLE_TEXTS = {
    "cmn": "你好！这是我在你的视频里的声音。", "zh": "你好！这是我在你的视频里的声音。",
    "ja": "こんにちは。これが わたしの こえです。", "ko": "안녕하세요. 이것이 제 목소리입니다.",
}
DEFAULT_SAMPLE_TEXT = "Hello! This is how I will sound in your video."
SCRIPT_TYPE = Str(choices=SCRIPT_TYPES)


def _voice_value(body: dict, name: str) -> int:
    """speed/pitch/volume with the spec's voice_config range and default; the error names the field."""
    field = VOICE_CONFIG.fields[name]
    return field.check(body[name], name) if body.get(name) is not None else field.default


def voice_language(project: Project | None, voice_asset_id: str | None) -> tuple[str, str]:
    """(engine, language) of a voice: ("piper", "en-us"), ("espeak", "cmn")...; Piper when unknown."""
    if not voice_asset_id:
        return "piper", "en-us"
    found = find_asset(project, voice_asset_id, "VOICE_MODEL")
    meta = found.meta if found is not None else {}
    return meta.get("engine") or "piper", str(meta.get("language") or "en-us").lower().replace("_", "-")


def _check_voice_id(project: Project, body: dict, *, required: bool) -> str | None:
    value = body.get("voice_asset_id")
    if value in (None, "") and not required:
        return None
    voice_id = VOICE_CONFIG.fields["voice_asset_id"].check(value, "voice_asset_id")
    spec_asset_checker(project)("voice_asset_id", voice_id, "VOICE_MODEL")
    return voice_id


def estimate_seconds(text: str, *, speed: int = 100, engine: str = "piper") -> float:
    """About how long `text` (plain or valid SSML) takes to speak at voice_config `speed` with a voice of
    `engine` ("piper" or "espeak"), pauses included. Raises SsmlError for invalid SSML."""
    # The engine (PyAV, the voices) loads on first use, not with every web process.
    from composer.render.speech.realize import Pause, Run, Style, flatten

    pieces: list = []
    flatten(parse_script_text(text), Style(), pieces)
    total = 0.0
    for piece in pieces:
        if isinstance(piece, Pause):
            total += piece.seconds
        elif isinstance(piece, Run):
            rate = speed / 100 * piece.style.rate
            if piece.language in ESPEAK_CJK_CHARACTER:
                fixed, per_speed = ESPEAK_CJK_CHARACTER[piece.language]
                units = len(piece.units)
            else:
                # Everything else is priced per word: the chosen voice's text, and pinyin or a CJK voice's
                # Latin text, which eSpeak NG reads at its word rate.
                piper = piece.language is None and engine == "piper"
                fixed, per_speed = PIPER_WORD if piper else ESPEAK_WORD
                units = sum(max(1, len(unit.spoken.split())) for unit in piece.units)
            total += units * (fixed + per_speed / rate)
    return round(total, 1)


def check_script_text(project: Project, body: Any) -> dict[str, Any]:
    """The editor's live check of one scene's script: {valid, errors[{line, column, message}], characters,
    limit, estimated_seconds, max_seconds}. Bad request fields raise InvalidInput/SpecError naming the field."""
    from composer.render.pace import TAIL_SECONDS

    body = json_object(body)
    script_type = SCRIPT_TYPE.check(body.get("script_type", "TEXT"), "script_type")
    text = TEXT_CONFIG.fields["text"].check(body.get("text", ""), "text")
    speed = _voice_value(body, "speed")
    voice_id = _check_voice_id(project, body, required=False)
    result: dict[str, Any] = {"valid": True, "errors": [], "characters": 0, "limit": MAX_SPOKEN_CHARACTERS,
                              "estimated_seconds": None, "max_seconds": max_scene_seconds()}
    if script_type != "TEXT":
        return result
    if not text.strip():
        result["valid"] = False
        result["errors"].append({"line": None, "column": None, "message": "a TEXT scene needs its script text"})
        return result
    try:
        result["characters"] = count_spoken_characters(text)
    except SsmlError as exc:
        result["valid"] = False
        result["characters"] = None
        result["errors"].append({"line": exc.line, "column": exc.column, "message": exc.message})
        return result
    if result["characters"] > MAX_SPOKEN_CHARACTERS:
        result["valid"] = False
        result["errors"].append({"line": None, "column": None,
                                 "message": f"at most {MAX_SPOKEN_CHARACTERS:,} characters excluding SSML tags "
                                            f"(this script has {result['characters']:,})"})
    engine, _ = voice_language(project, voice_id)
    result["estimated_seconds"] = estimate_seconds(text, speed=speed, engine=engine)
    # The scene's own limit, as the submit check words it (the scene lasts its speech plus the tail).
    if rule := scene_rule(result["estimated_seconds"] + TAIL_SECONDS):
        result["valid"] = False
        result["errors"].append({"line": None, "column": None, "message": rule})
    return result


def ssml_grammar() -> dict[str, Any]:
    """What the check accepts, from the parser's own tables: the editor's SSML toolbar offers exactly these
    tags and options, so an inserted tag always validates."""
    return {
        "limit": MAX_SPOKEN_CHARACTERS,
        "max_scene_seconds": max_scene_seconds(),
        "tags": sorted(ssml.SUPPORTED_TAGS),
        "break": {"max_seconds": ssml.MAX_BREAK_SECONDS, "strengths": list(ssml.BREAK_STRENGTHS)},
        "prosody": {"rate": {"minimum": 0.5, "maximum": 2.0, "names": list(ssml.RATE_NAMES)},
                    "pitch": {"names": list(ssml.PITCH_NAMES)}, "volume": {"names": list(ssml.VOLUME_NAMES)}},
        "say_as": {"interpret_as": sorted(ssml.SAY_AS), "date_formats": sorted(ssml.DATE_FORMATS)},
        "phoneme": {"alphabets": sorted(ssml.PHONEME_ALPHABETS - {"x-pinyin"})},
        "emphasis": {"levels": sorted(ssml.EMPHASIS_LEVELS)},
        "attributes": {tag: sorted(names) for tag, names in ssml.ATTRIBUTES.items()},
    }


# --- voice samples -----------------------------------------------------------------------------------------

def sample_params(project: Project, body: Any) -> dict[str, Any]:
    """The checked parameters of an audition: voice, speed, pitch, volume and the text to speak."""
    body = json_object(body)
    voice_id = _check_voice_id(project, body, required=True)
    params = {"voice_asset_id": voice_id, **{name: _voice_value(body, name) for name in ("speed", "pitch", "volume")}}
    text = body.get("text")
    if text in (None, "") or (isinstance(text, str) and not text.strip()):
        _, language = voice_language(project, voice_id)
        text = SAMPLE_TEXTS.get(language.split("-")[0], DEFAULT_SAMPLE_TEXT)
    if not isinstance(text, str):
        raise InvalidInput("text: must be a string")
    if len(text) > SAMPLE_MAX_CHARACTERS:
        raise InvalidInput(f"text: a sample may have at most {SAMPLE_MAX_CHARACTERS} characters (got {len(text)})")
    try:
        parse_script_text(text)
    except SsmlError as exc:
        raise InvalidInput(f"text: invalid SSML at line {exc.line}, column {exc.column}: {exc.message}") from None
    params["text"] = text
    return params


def _voice_version(project: Project, voice_id: str) -> str:
    """Part of the cache key: a re-uploaded project voice must not replay the old one's samples."""
    found = find_asset(project, voice_id, "VOICE_MODEL")
    if found is None or found.is_preset:
        return "preset"
    return f"{found.pk}:{found.file.name}:{found.updated_at.isoformat()}"


def wav_bytes(samples: np.ndarray, sample_rate: int) -> bytes:
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def voice_sample(project: Project, body: Any) -> tuple[bytes, str]:
    """WAV bytes of a short sample of a voice at the given settings, and its cache key.

    The voice is resolved and spoken exactly as a render does (ProjectAssetResolver, synthesize_script)."""
    # The engine (PyAV, the voices) loads on first use, not with every web process.
    from composer.render.speech import synthesize_script

    params = sample_params(project, body)
    key_source = {**params, "voice_version": _voice_version(project, params["voice_asset_id"])}
    key = content_hash(key_source)
    cached = SAMPLES.get(key)
    if cached is not None:
        return cached, key
    resolver = ProjectAssetResolver(project, SAMPLES.path())
    try:
        voice = resolver.voice(params["voice_asset_id"])
        track = synthesize_script(params["text"], voice, speed=params["speed"], pitch=params["pitch"],
                                  volume=params["volume"])
    except Exception as exc:
        # An uploaded model can fail in many ways inside onnx/Piper; the user needs to know it is the voice.
        log.warning("voice sample failed for %s", params["voice_asset_id"], exc_info=True)
        raise SpecError("voice_asset_id", f"this voice could not speak the sample ({type(exc).__name__}: "
                                          f"{str(exc)[:200]})") from exc
    samples = track.samples[:int(SAMPLE_MAX_SECONDS * track.sample_rate)]
    data = wav_bytes(samples, track.sample_rate)
    SAMPLES.put(key, data, max_files=SAMPLE_CACHE_FILES)
    return data, key
