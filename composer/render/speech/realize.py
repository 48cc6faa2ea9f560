"""Turning parsed SSML into a SpeechTrack: runs of text per prosody, pauses, actions, language routing."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from composer.render.speech import dsp
from composer.render.speech.engines import Utterance, espeak_utterance, piper_utterance
from composer.render.speech.normalize import cardinal, say_as
from composer.spec import ssml

PARAGRAPH_PAUSE = {"p": 0.6, "s": 0.35}
EMPHASIS = {"strong": (0.9, 1.3), "moderate": (0.95, 1.15), "reduced": (1.05, 0.8), "none": (1.0, 1.0)}
CJK_LANGUAGE = [(re.compile(r"[\u3040-\u30ff]"), "ja"), (re.compile(r"[\uac00-\ud7af\u1100-\u11ff]"), "ko"),
                (re.compile(r"[\u3400-\u9fff\uf900-\ufaff]"), "cmn")]


@dataclass(frozen=True)
class Style:
    rate: float = 1.0
    pitch: float = 1.0
    volume: float = 1.0


@dataclass
class Token:
    spoken: str
    display: str
    whole: bool = False       # say-as/sub/phoneme: one subtitle unit however many words it speaks
    raw_ipa: bool = False
    language: str | None = None  # forced language (pinyin)


@dataclass
class Run:
    style: Style
    tokens: list[Token] = field(default_factory=list)


@dataclass
class Pause:
    seconds: float


@dataclass
class Mark:
    name: str


def flatten(nodes, style: Style, out: list) -> None:
    for node in nodes:
        if isinstance(node, ssml.Text):
            if node.text:
                _append(out, style, Token(cardinal(node.text), node.text))
        elif isinstance(node, ssml.Break):
            out.append(Pause(node.seconds))
        elif isinstance(node, ssml.Action):
            out.append(Mark(node.name))
        elif isinstance(node, ssml.SayAs):
            _append(out, style, Token(say_as(node.interpret_as, node.text, node.format), node.text, whole=True))
        elif isinstance(node, ssml.Sub):
            _append(out, style, Token(node.alias, node.text, whole=True))
        elif isinstance(node, ssml.Phoneme):
            if node.alphabet == "ipa":
                _append(out, style, Token(f"[[ {node.ph} ]]", node.text, whole=True, raw_ipa=True))
            else:
                _append(out, style, Token(node.ph, node.text, whole=True, language="cmn-latn-pinyin"))
        elif isinstance(node, ssml.Prosody):
            flatten(node.children, Style(style.rate * node.rate, style.pitch * node.pitch,
                                         style.volume * node.volume), out)
        elif isinstance(node, ssml.Emphasis):
            rate, gain = EMPHASIS[node.level]
            flatten(node.children, Style(style.rate / rate, style.pitch, style.volume * gain), out)
        elif isinstance(node, ssml.Paragraph):
            flatten(node.children, style, out)
            out.append(Pause(PARAGRAPH_PAUSE[node.kind]))


def _append(out: list, style: Style, token: Token) -> None:
    if out and isinstance(out[-1], Run) and out[-1].style == style and not token.language \
            and not any(t.language for t in out[-1].tokens):
        out[-1].tokens.append(token)
    else:
        out.append(Run(style, [token]))


def language_of(text: str) -> str | None:
    for pattern, language in CJK_LANGUAGE:
        if pattern.search(text):
            return language
    return None


def speak_run(run: Run, voice, speed: float) -> Utterance:
    text = " ".join(t.spoken.strip() for t in run.tokens if t.spoken.strip())
    forced = next((t.language for t in run.tokens if t.language), None)
    language = forced or (voice.language if voice.kind == "espeak" else None) or language_of(text)
    rate = speed * run.style.rate
    if voice.kind == "piper" and (language is None or language == voice.language):
        return piper_utterance(voice.model_path, voice.config_path, text, length_scale_factor=1.0 / rate)
    return espeak_utterance(text, language or "en-us", speed=rate)


def word_times(run: Run, utterance: Utterance, offset: float) -> list[tuple[float, float, str]]:
    """Subtitle units of a run with times: exact when the engine's word starts match our words."""
    units: list[tuple[int, str, bool]] = []  # (spoken word count, display, whole)
    for token in run.tokens:
        count = max(1, len(token.spoken.split()))
        if token.whole:
            units.append((count, token.display.strip(), True))
        else:
            for word in token.display.split():
                units.append((max(1, len(cardinal(word).split())), word, False))
    spoken_total = sum(u[0] for u in units)
    speech = [p for p in utterance.phonemes if p[2] != " "]
    begin = speech[0][0] if speech else 0.0
    end = speech[-1][1] if speech else utterance.samples.size / utterance.sample_rate
    if len(utterance.word_starts) == spoken_total:
        starts, index = [], 0
        for count, _, _ in units:
            starts.append(utterance.word_starts[index])
            index += count
    else:
        weights = np.array([max(1, len(display)) for _, display, _ in units], dtype=float)
        edges = begin + (end - begin) * np.concatenate([[0], np.cumsum(weights) / weights.sum()])
        starts = list(edges[:-1])
    result = []
    for i, (_, display, _) in enumerate(units):
        stop = starts[i + 1] if i + 1 < len(starts) else end
        if display:
            result.append((float(offset + starts[i]), float(offset + max(stop, starts[i] + 0.05)), display))
    return result


def synthesize_nodes(nodes, voice, *, speed: int, pitch: int, volume: int):
    from composer.render.speech import SAMPLE_RATE, SpeechTrack, TimedAction, TimedPhoneme, TimedWord

    pieces: list = []
    flatten(nodes, Style(), pieces)
    audio: list[np.ndarray] = []
    phonemes: list[TimedPhoneme] = []
    words: list[TimedWord] = []
    actions: list[TimedAction] = []
    cursor = 0.0
    base_pitch = (pitch / 100) ** 0.5
    base_gain = volume / 140
    for piece in pieces:
        if isinstance(piece, Pause):
            audio.append(dsp.silence(piece.seconds, SAMPLE_RATE))
            cursor += piece.seconds
        elif isinstance(piece, Mark):
            actions.append(TimedAction(cursor, piece.name))
        else:
            utterance = speak_run(piece, voice, speed / 100)
            samples = dsp.resample(utterance.samples, utterance.sample_rate, SAMPLE_RATE)
            samples = dsp.pitch_shift(samples, base_pitch * piece.style.pitch, SAMPLE_RATE)
            samples = dsp.apply_gain(samples, base_gain * piece.style.volume)
            phonemes.extend(TimedPhoneme(cursor + a, cursor + b, p) for a, b, p in utterance.phonemes)
            words.extend(TimedWord(a, b, text) for a, b, text in word_times(piece, utterance, cursor))
            audio.append(samples)
            cursor += samples.size / SAMPLE_RATE
    samples = np.concatenate(audio) if audio else np.zeros(0, np.float32)
    return SpeechTrack(samples, SAMPLE_RATE, phonemes, words, actions)
