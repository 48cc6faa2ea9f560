"""Turning parsed SSML into a SpeechTrack: runs of text per style and language, pauses, actions, word timing.

Language routing: text in a CJK script is cut out of the surrounding text and spoken by the best installed voice
of its language (kana -> Japanese, hangul -> Korean, other Han characters -> Mandarin), of the chosen voice's
gender, unless the chosen voice speaks that language itself; everything else goes to the chosen voice (or, when
that is a Japanese voice, to the English voice of its gender). Digits and punctuation stay with the text around them, so "我有3个"
is read in Chinese and "Room 101" in English.
"""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np

from composer.render.speech import dsp
from composer.render.speech.engines import (
    Utterance,
    espeak_utterance,
    festival_utterance,
    kokoro_utterance,
    piper_utterance,
)
from composer.render.speech.normalize import cardinal, say_as
from composer.render.speech.track import (
    SAMPLE_RATE,
    SpeechTrack,
    TimedAction,
    TimedPhoneme,
    TimedWord,
)
from composer.render.speech.voices import best_voice_for
from composer.render.text import ends_sentence
from composer.spec import ssml

PARAGRAPH_PAUSE = {"p": 0.6, "s": 0.35}
# emphasis level -> (rate multiplier, gain): stronger emphasis is slower and louder.
EMPHASIS = {"strong": (0.85, 1.4), "moderate": (0.93, 1.2), "reduced": (1.07, 0.8), "none": (1.0, 1.0)}
CJK = "\u1100-\u11ff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
CJK_RUN = re.compile(f"[{CJK}]+")
LATIN_WORD = re.compile(r"[^\W\d_]", re.UNICODE)
PINYIN = "cmn-latn-pinyin"
MIN_WORD_SECONDS = 0.05
# Quieter than this below a run's peak is the voice's own pause, which a <break> replaces (see trim_edges).
EDGE_SILENCE_DB = -45.0
OPENING_PUNCTUATION = "「『（《〈【〔“‘([{"


def language_of(text: str) -> str:
    """The eSpeak NG language for a run of CJK text."""
    if re.search("[\u3040-\u30ff]", text):
        return "ja"
    if re.search("[\uac00-\ud7af\u1100-\u11ff]", text):
        return "ko"
    return "cmn"


@dataclass(frozen=True)
class Style:
    rate: float = 1.0
    pitch: float = 1.0
    volume: float = 1.0


@dataclass
class Unit:
    """One subtitle word: what is said and what is shown. CJK characters are units of their own."""

    spoken: str
    display: str
    cjk: bool = False


@dataclass
class Run:
    style: Style
    language: str | None          # None: the chosen voice's language
    units: list[Unit] = field(default_factory=list)

    def text(self) -> tuple[str, list[int]]:
        """The text to synthesize and where each unit starts in it (CJK characters are not space-separated)."""
        parts: list[str] = []
        offsets: list[int] = []
        length = 0
        previous: Unit | None = None
        for unit in self.units:
            if previous is not None and not (previous.cjk and unit.cjk):
                parts.append(" ")
                length += 1
            offsets.append(length)
            parts.append(unit.spoken)
            length += len(unit.spoken)
            previous = unit
        return "".join(parts), offsets


@dataclass
class Pause:
    seconds: float
    exact: bool = False    # a <break>: the whole gap between the sounds around it, not added to their pauses


@dataclass
class Mark:
    name: str


def _split_cjk(text: str) -> list[tuple[str, str | None]]:
    """Cut text into (piece, language) with CJK runs apart; neutral pieces (digits, punctuation) join the
    run before them, or the one after when they come first."""
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for match in CJK_RUN.finditer(text):
        if match.start() > position:
            pieces.append((text[position:match.start()], None))
        pieces.append((match.group(0), language_of(match.group(0))))
        position = match.end()
    if position < len(text):
        pieces.append((text[position:], None))
    merged: list[tuple[str, str | None]] = []
    for piece, language in pieces:
        if language is None and merged and merged[-1][1] is not None and not LATIN_WORD.search(piece):
            merged[-1] = (merged[-1][0] + piece, merged[-1][1])
        elif merged and language is not None and merged[-1][1] is None and not LATIN_WORD.search(merged[-1][0]):
            merged[-1] = (merged[-1][0] + piece, language)
        else:
            merged.append((piece, language))
    return merged


def _text_units(text: str, language: str | None) -> list[Unit]:
    if language is None:
        return [Unit(cardinal(word), word) for word in text.split()]
    units: list[Unit] = []
    for char in text:
        if char.isspace():
            continue
        if units and not char.isalnum():
            units[-1].spoken += char
            units[-1].display += char
        else:
            units.append(Unit(char, char, cjk=True))
    return units


def flatten(nodes, style: Style, out: list) -> None:
    """SSML nodes -> Runs (speech with one style and language), Pauses and Marks, in order."""
    for node in nodes:
        if isinstance(node, ssml.Text):
            for piece, language in _split_cjk(node.text):
                for unit in _text_units(piece, language):
                    _append(out, style, language, unit)
        elif isinstance(node, ssml.Break):
            out.append(Pause(node.seconds, exact=True))
        elif isinstance(node, ssml.Action):
            out.append(Mark(node.name))
        elif isinstance(node, ssml.SayAs):
            _append(out, style, None, Unit(say_as(node.interpret_as, node.text, node.format), node.text))
        elif isinstance(node, ssml.Sub):
            language = language_of(node.alias) if CJK_RUN.search(node.alias) else None
            _append(out, style, language, Unit(node.alias, node.text))
        elif isinstance(node, ssml.Phoneme):
            if node.alphabet == "ipa":
                _append(out, style, None, Unit(f"[[ {node.ph} ]]", node.text))
            else:
                _append(out, style, PINYIN, Unit(node.ph, node.text))
        elif isinstance(node, ssml.Prosody):
            flatten(node.children, Style(style.rate * node.rate, style.pitch * node.pitch,
                                         style.volume * node.volume), out)
        elif isinstance(node, ssml.Emphasis):
            rate, gain = EMPHASIS[node.level]
            flatten(node.children, Style(style.rate * rate, style.pitch, style.volume * gain), out)
        elif isinstance(node, ssml.Paragraph):
            flatten(node.children, style, out)
            out.append(Pause(PARAGRAPH_PAUSE[node.kind]))


def _append(out: list, style: Style, language: str | None, unit: Unit) -> None:
    if not unit.spoken.strip() and not unit.display.strip():
        return
    if out and isinstance(out[-1], Run) and out[-1].style == style and out[-1].language == language:
        out[-1].units.append(unit)
    else:
        out.append(Run(style, language, [unit]))


def voice_for_run(run: Run, voice):
    """The voice that speaks a run, or None for eSpeak NG in the run's own language (pinyin)."""
    if run.language is None:
        # Kokoro's voices here read Japanese only; Latin text goes to the English voice of the same gender.
        return best_voice_for("en-us", voice.gender) or voice if voice.kind == "kokoro" else voice
    if run.language == voice.language:
        return voice
    return best_voice_for(run.language, voice.gender)


def speak_run(run: Run, text: str, voice, speed: float) -> Utterance:
    rate = speed * run.style.rate
    chosen = voice_for_run(run, voice)
    if chosen is None:
        return espeak_utterance(text, run.language or voice.language or "en-us", speed=rate)
    if chosen.kind == "piper":
        return piper_utterance(chosen.model_path, chosen.config_path, text, length_scale_factor=1.0 / rate)
    if chosen.kind == "festival":
        return festival_utterance(text, chosen.speaker, speed=rate)
    if chosen.kind == "kokoro":
        return kokoro_utterance(text, chosen.speaker, speed=rate)
    return espeak_utterance(text, run.language or chosen.language or "en-us", speed=rate)


def _spoken_words(unit: Unit) -> int:
    return sum(1 for word in unit.spoken.split() if any(c.isalnum() for c in word))


def word_times(run: Run, utterance: Utterance, offsets: list[int], text_length: int) -> list[tuple[float, float]]:
    """(start, end) of every unit of the run, in seconds from the start of its utterance.

    Best evidence first: eSpeak's word events tied to text positions; then Piper's word starts when their number
    matches the words we sent; else the speech span shared out by the length of what each unit says. A start
    that falls in a pause moves to where the sound resumes, so a subtitle never appears before its word."""
    sounding = [p for p in utterance.phonemes if p[2] != " "]
    total = utterance.samples.size / utterance.sample_rate
    begin = sounding[0][0] if sounding else 0.0
    end = sounding[-1][1] if sounding else total
    counts = [_spoken_words(unit) for unit in run.units]
    if len(utterance.word_anchors) >= 1:
        # eSpeak may report several words at one text position (Japanese kanji are read out as "Chinese letter"
        # word by word, all at the kanji's position): the first report is when that text starts.
        first: dict[int, float] = {}
        for position, seconds in sorted(utterance.word_anchors):
            first.setdefault(position, seconds)
        if text_length not in first:
            first[text_length] = end
        positions = np.array(sorted(first), dtype=float)
        times = np.maximum.accumulate(np.array([first[p] for p in sorted(first)], dtype=float))
        starts = list(np.interp(offsets, positions, times))
    elif len(utterance.word_starts) == sum(counts):
        starts, index = [], 0
        for count in counts:
            starts.append(utterance.word_starts[min(index, len(utterance.word_starts) - 1)] if count else None)
            index += count
        # A unit that says no word (a lone comma) starts where the previous one ended.
        for i, start in enumerate(starts):
            if start is None:
                starts[i] = starts[i - 1] if i else begin
    else:
        weights = np.array([max(1, len(unit.spoken)) for unit in run.units], dtype=float)
        edges = begin + (end - begin) * np.concatenate([[0], np.cumsum(weights) / weights.sum()])
        starts = list(edges[:-1])
    pauses = [(a, b) for a, b, p in utterance.phonemes if p == " " and b > a]
    for i, start in enumerate(starts):
        resumes = next((b for a, b in pauses if a <= start < b), start)
        starts[i] = max(resumes, starts[i - 1] if i else resumes)
    result = []
    for i, start in enumerate(starts):
        stop = starts[i + 1] if i + 1 < len(starts) else end
        result.append((float(start), float(min(max(stop, start + MIN_WORD_SECONDS), total))))
    return result


def _subtitle_words(run: Run, times: list[tuple[float, float]], offset: float) -> list[tuple[float, float, str]]:
    """Units with their display text: punctuation on its own joins the word before it, except opening quotes
    and brackets, which join the word after it (a subtitle line may not end with one)."""
    words: list[list] = []
    opening = ""
    for unit, (start, end) in zip(run.units, times, strict=True):
        display = unit.display.strip()
        spells_something = any(c.isalnum() for c in display)
        if words and not spells_something:
            display = display.rstrip(OPENING_PUNCTUATION)
            opening += unit.display.strip()[len(display):]
            if display:
                words[-1][1] = max(words[-1][1], offset + end)
                words[-1][2] += display
            continue
        head = display[:len(display) - len(display.lstrip(OPENING_PUNCTUATION))]
        if not spells_something:
            opening += display
            continue
        body = display[len(head):]
        tail = body[len(body.rstrip(OPENING_PUNCTUATION)):]
        words.append([offset + start, offset + end, opening + head + body[:len(body) - len(tail)]])
        opening = tail
    return [tuple(w) for w in words if w[1] > w[0]]


def trim_edges(utterance: Utterance, *, lead: bool, tail: bool) -> Utterance:
    """The utterance without its own leading and/or trailing pause (what lies below EDGE_SILENCE_DB of its
    peak), phoneme and word times moved with the samples.

    Voices pad what they say with silence and end a sentence with a pause; at a <break> those would add
    ~0.2-0.3 s to the time asked for. Trimmed on both sides of a break, the break is the gap."""
    samples = utterance.samples
    level = np.abs(samples)
    if not (lead or tail) or samples.size == 0 or level.max() <= 0:
        return utterance
    loud = np.flatnonzero(level > level.max() * 10 ** (EDGE_SILENCE_DB / 20))
    start = int(loud[0]) if lead else 0
    stop = int(loud[-1]) + 1 if tail else samples.size
    rate = utterance.sample_rate
    shift, length = start / rate, (stop - start) / rate

    def moved(t: float) -> float:
        return min(max(t - shift, 0.0), length)

    phonemes = [(moved(a), moved(b), p) for a, b, p in utterance.phonemes]
    return replace(utterance, samples=samples[start:stop],
                   phonemes=[(a, b, p) for a, b, p in phonemes if b > a],
                   word_starts=[moved(t) for t in utterance.word_starts],
                   word_anchors=[(i, moved(t)) for i, t in utterance.word_anchors])


def _next_to_break(pieces: list, index: int, step: int) -> bool:
    """Whether the piece at `index` has a <break> on the side `step` points to (marks take no time)."""
    index += step
    while 0 <= index < len(pieces) and isinstance(pieces[index], Mark):
        index += step
    return 0 <= index < len(pieces) and isinstance(pieces[index], Pause) and pieces[index].exact


# A run is spoken a sentence at a time, so the picture can start once the first two are known and never waits for
# more than the sentence being made. A voice that starts a process per call (Festival) speaks the first alone and
# then twice as many each time, up to this many characters, so that it stays cheap.
CHUNK_CHARACTERS = 600


def sentence_chunks(run: Run, *, growing: bool = False) -> list[Run]:
    """The run cut after sentence ends into runs of whole sentences: one sentence each, or when `growing` one
    sentence first, then twice as many each time (at most CHUNK_CHARACTERS of them, unless one sentence is
    longer)."""
    sentences: list[list[Unit]] = [[]]
    for index, unit in enumerate(run.units):
        sentences[-1].append(unit)
        if ends_sentence(unit.spoken) and index + 1 < len(run.units):
            sentences.append([])
    chunks: list[Run] = []
    wanted = 1
    while sentences:
        units, count, characters = [], 0, 0
        while sentences and (not units or count < wanted and
                             characters + sum(len(u.spoken) + 1 for u in sentences[0]) <= CHUNK_CHARACTERS):
            characters += sum(len(u.spoken) + 1 for u in sentences[0])
            units += sentences.pop(0)
            count += 1
        chunks.append(Run(run.style, run.language, units))
        wanted *= 2 if growing else 1
    return chunks


@dataclass
class SpeechPiece:
    """What a stretch of the script sounds like: mono samples at SAMPLE_RATE from `start` seconds, and the
    phonemes, words and actions in it (times from the start of the script). `spoken` is the share of the
    script's text said by the end of this piece (0..1), for estimates of what is still to come."""

    start: float
    samples: np.ndarray
    phonemes: list = field(default_factory=list)
    words: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    spoken: float = 1.0

    @property
    def end(self) -> float:
        return self.start + self.samples.size / SAMPLE_RATE


def speak_pieces(nodes, voice, *, speed: int, pitch: int, volume: int, together: int = 1):
    """Speak parsed SSML with `voice`, yielding SpeechPieces in order as they are made (a pause, or a sentence of
    one run, a few with Festival: sentence_chunks), the first `together` sentences made at once (spoken_in_order);
    see the package docstring for the voice_config mapping."""
    pieces: list = []
    flatten(nodes, Style(), pieces)
    total = sum(len(piece.text()[0]) for piece in pieces if isinstance(piece, Run)) or 1
    chunks = {index: sentence_chunks(piece, growing=(chosen := voice_for_run(piece, voice)) is not None
                                     and chosen.kind == "festival")
              for index, piece in enumerate(pieces) if isinstance(piece, Run)}
    spoken = spoken_in_order([chunk for index in sorted(chunks) for chunk in chunks[index]], voice, speed / 100,
                             together)
    said = 0
    cursor = 0.0
    base_pitch = pitch_factor(pitch)
    base_gain = volume_gain(volume)
    actions: list = []
    for index, piece in enumerate(pieces):
        if isinstance(piece, Mark):
            actions.append(TimedAction(cursor, piece.name))
            continue
        if isinstance(piece, Pause):
            samples = dsp.silence(piece.seconds, SAMPLE_RATE)
            yield SpeechPiece(cursor, samples, [], [], actions, said / total)
            actions = []
            cursor += samples.size / SAMPLE_RATE
            continue
        for number, chunk in enumerate(chunks[index]):
            text, offsets = chunk.text()
            utterance = trim_edges(next(spoken), lead=number == 0 and _next_to_break(pieces, index, -1),
                                   tail=number == len(chunks[index]) - 1 and _next_to_break(pieces, index, 1))
            samples = dsp.resample(utterance.samples, utterance.sample_rate, SAMPLE_RATE)
            samples = dsp.pitch_shift(samples, base_pitch * chunk.style.pitch, SAMPLE_RATE)
            samples = dsp.apply_gain(samples, base_gain * chunk.style.volume, SAMPLE_RATE)
            said += len(text)
            # Resampling may round the length by a sample; timings stay in the engine's own clock.
            yield SpeechPiece(cursor, samples,
                              [TimedPhoneme(cursor + a, cursor + b, p) for a, b, p in utterance.phonemes],
                              [TimedWord(*w) for w in _subtitle_words(chunk, word_times(chunk, utterance, offsets,
                                                                                          len(text)), cursor)],
                              actions, said / total)
            actions = []
            cursor += samples.size / SAMPLE_RATE
    if actions:
        yield SpeechPiece(cursor, np.zeros(0, np.float32), [], [], actions, 1.0)


# A scene's frames cannot pass its first block of subtitles until the word after that block is known (see
# subtitles.CueBuilder), which is usually the second sentence's first. Before a render's frames start nothing else
# uses the machine, so the first scene's first sentences are spoken at once, each on a thread of its own
# (onnxruntime runs a session on the calling thread, one core each: see engines._load_piper), the rest one at a
# time. Later scenes are spoken one at a time beside the frames of the scene before, which do not wait for them;
# two sentences at once there would put a second decoder's memory on top of the frames' (a three-minute render
# peaked at 1.2 times a short one).
SPOKEN_TOGETHER = 2


def spoken_in_order(chunks: list[Run], voice, speed: float, together: int = 1):
    """The Utterance of each chunk (speak_run), in order, the first `together` of them made at once."""
    first = chunks[:together] if min(len(chunks), together) > 1 else []
    if first:
        with ThreadPoolExecutor(len(first) - 1, thread_name_prefix="speech-ahead") as pool:
            ahead = [pool.submit(speak_run, chunk, chunk.text()[0], voice, speed) for chunk in first[1:]]
            try:
                yield speak_run(first[0], first[0].text()[0], voice, speed)
                for future in ahead:
                    yield future.result()
            finally:
                for future in ahead:
                    future.cancel()
    for chunk in chunks[len(first):]:
        yield speak_run(chunk, chunk.text()[0], voice, speed)


def synthesize_nodes(nodes, voice, *, speed: int, pitch: int, volume: int):
    """Speak parsed SSML with `voice` into one SpeechTrack (speak_pieces, gathered)."""
    audio, phonemes, words, actions = [], [], [], []
    for piece in speak_pieces(nodes, voice, speed=speed, pitch=pitch, volume=volume):
        audio.append(piece.samples)
        phonemes += piece.phonemes
        words += piece.words
        actions += piece.actions
    samples = np.concatenate(audio) if audio else np.zeros(0, np.float32)
    return SpeechTrack(samples, SAMPLE_RATE, phonemes, words, actions)


def pitch_factor(pitch: int) -> float:
    """voice_config pitch 50..200 -> frequency factor (pitch/100) ** 0.5: -6 semitones at 50, +6 at 200."""
    return (pitch / 100) ** 0.5


def volume_gain(volume: int) -> float:
    """voice_config volume 90..240 -> linear gain volume/140 (140, the default, leaves the voice unchanged)."""
    return volume / 140
