"""Mouth shapes over time, as Rhubarb Lip Sync's Preston Blair set: from phoneme timing or from the audio itself.

A closed (P B M), B slightly open with teeth (most consonants), C open (EH AE), D wide open (AA AH), E rounded
(AO ER), F puckered (UW OW W), G upper teeth on lower lip (F V), H tongue up (L), X rest.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

MOUTH_SHAPES = ("A", "B", "C", "D", "E", "F", "G", "H", "X")
FRAME = 1 / 25
MIN_SHAPE = 2 * FRAME
REST_GAP = 0.12

# IPA symbols as Piper and eSpeak NG produce them, by the first symbol of a phoneme that is listed here.
PHONEME_SHAPES: dict[str, str] = {}
for symbols, shape in (
    ("pbmɓʙ", "A"),
    ("fvɸβʋɱ", "G"),
    ("lɫɭʎʟɬɮ", "H"),
    ("uʊwoʉɵøœʏɯʍɥ", "F"),
    ("ɔɒɞɜɝɚɹ", "E"),
    ("aɑɐɶ", "D"),
    ("eɛæɪiəɘjyᵻɨɤʌ", "C"),
    ("θðtdkgɡnŋszʃʒʧʤhxçʔɾχɕʑʂʐɲɴʁɣɦħʕcɟqɢʈɖɳɻɽrʀ", "B"),
):
    for symbol in symbols:
        PHONEME_SHAPES[symbol] = shape


@dataclass(frozen=True)
class MouthKey:
    start: float
    end: float
    shape: str


def _merge(keys: list[MouthKey]) -> list[MouthKey]:
    merged: list[MouthKey] = []
    for key in keys:
        if key.end - key.start <= 0:
            continue
        if merged and merged[-1].shape == key.shape and abs(merged[-1].end - key.start) < 1e-6:
            merged[-1] = MouthKey(merged[-1].start, key.end, key.shape)
        else:
            merged.append(key)
    return merged


def _absorb_short(keys: list[MouthKey]) -> list[MouthKey]:
    """One pass: a key shorter than two frames goes to its longer neighbour. Closed lips (A) stay, because
    viewers read them as P, B, M; they are stretched to one full frame instead so no frame misses them."""
    keys = list(keys)
    out: list[MouthKey] = []
    for i, key in enumerate(keys):
        length = key.end - key.start
        following = keys[i + 1] if i + 1 < len(keys) else None
        if key.shape == "A":
            if length < FRAME and following is not None and following.end - following.start > 2 * FRAME:
                end = key.start + FRAME
                keys[i + 1] = MouthKey(end, following.end, following.shape)
                key = MouthKey(key.start, end, "A")
            out.append(key)
            continue
        # Rest at the very end stays: the mouth must close when the speech does.
        if length >= MIN_SHAPE or following is None and (key.shape == "X" or not out):
            out.append(key)
            continue
        previous_length = out[-1].end - out[-1].start if out and out[-1].shape != "A" else -1.0
        following_length = following.end - following.start if following is not None else -1.0
        if following is not None and following_length >= previous_length:
            keys[i + 1] = MouthKey(key.start, following.end, following.shape)
        elif out:
            out[-1] = MouthKey(out[-1].start, key.end, out[-1].shape)
        else:
            out.append(key)
    return _merge(out)


def _smooth(keys: list[MouthKey]) -> list[MouthKey]:
    """No flicker: merge equal neighbours and let short keys be absorbed, a few passes (each is linear)."""
    keys = _merge(keys)
    for _ in range(4):
        smoothed = _absorb_short(keys)
        if smoothed == keys:
            break
        keys = smoothed
    return keys


def _join_pauses(phonemes) -> list[tuple[float, float, str]]:
    """Adjacent pause symbols (a comma then a space) are one pause: its length decides rest or hold."""
    joined: list[tuple[float, float, str]] = []
    for item in phonemes:
        blank = not any(c.isalpha() for c in item.phoneme)   # spaces and punctuation are pauses
        if blank and joined and joined[-1][2] == " " and item.start - joined[-1][1] < 1e-3:
            joined[-1] = (joined[-1][0], item.end, " ")
        else:
            joined.append((item.start, item.end, " " if blank else item.phoneme))
    return joined


def mouth_timeline_from_phonemes(phonemes, duration: float) -> list[MouthKey]:
    """Mouth keys covering 0..duration from timed phonemes (objects with start, end, phoneme). Pauses of
    120 ms or more rest (X); shorter ones hold the shape before them."""
    keys: list[MouthKey] = []
    cursor = 0.0
    for start, end, symbol in _join_pauses(phonemes):
        if start - cursor >= REST_GAP or (start > cursor and not keys):
            keys.append(MouthKey(cursor, start, "X"))
        elif start > cursor and keys:
            keys[-1] = MouthKey(keys[-1].start, start, keys[-1].shape)
        if symbol.strip() == "":
            shape = "X" if end - start >= REST_GAP else (keys[-1].shape if keys else "X")
        else:
            shape = next((PHONEME_SHAPES[c] for c in symbol if c in PHONEME_SHAPES), None)
            if shape is None:
                shape = keys[-1].shape if keys else "B"
        keys.append(MouthKey(start, end, shape))
        cursor = end
    if cursor < duration:
        keys.append(MouthKey(cursor, duration, "X"))
    return _smooth(keys)


def mouth_timeline_from_audio(samples: np.ndarray, sample_rate: int) -> list[MouthKey]:
    """Shapes from loudness and brightness per 40 ms frame: silence rests, loud open vowels open wide,
    dull (low-centroid) sound rounds the lips, quiet bright sound shows teeth."""
    hop = int(sample_rate * FRAME)
    count = samples.size // hop
    if count == 0:
        return [MouthKey(0.0, samples.size / sample_rate, "X")]
    frames = samples[:count * hop].reshape(count, hop).astype(np.float32)
    rms = np.sqrt(np.mean(frames ** 2, axis=1))
    spectrum = np.abs(np.fft.rfft(frames * np.hanning(hop), axis=1))
    freqs = np.fft.rfftfreq(hop, 1 / sample_rate)
    centroid = (spectrum * freqs).sum(axis=1) / (spectrum.sum(axis=1) + 1e-9)
    speaking = rms[rms > 1e-4]
    loud = np.percentile(speaking, 85) if speaking.size else 1.0
    floor = max(0.02 * loud, 1e-3)
    keys = []
    for i in range(count):
        level = rms[i] / loud
        if rms[i] < floor:
            shape = "X"
        elif level < 0.25:
            shape = "B" if centroid[i] > 1800 else "A"
        elif centroid[i] < 700:
            shape = "F" if level < 0.6 else "E"
        elif level > 0.75:
            shape = "D"
        else:
            shape = "C"
        keys.append(MouthKey(i * FRAME, (i + 1) * FRAME, shape))
    tail = samples.size / sample_rate
    if tail > count * FRAME:
        keys.append(MouthKey(count * FRAME, tail, "X"))
    return _smooth(keys)


def shape_at(timeline: list[MouthKey], t: float) -> str:
    """The mouth shape at time t ("X" outside the timeline)."""
    if not timeline:
        return "X"
    index = bisect_right(timeline, t, key=lambda key: key.start) - 1
    if index < 0:
        return "X"
    key = timeline[index]
    return key.shape if t < key.end else "X"
