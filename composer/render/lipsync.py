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

# IPA symbols as Piper/eSpeak produce them (vowel clusters are split into symbols).
PHONEME_SHAPES: dict[str, str] = {}
for symbols, shape in (
    ("pbm", "A"),
    ("fv", "G"),
    ("lɫ", "H"),
    ("θð", "B"),
    ("uʊwoɔɒ", "F"),
    ("ɜɝɚɹr", "E"),
    ("aɑɐʌ", "D"),
    ("eɛæɪiəɘjy", "C"),
    ("tdkgnŋszʃʒʧʤhxçʔɡɾ", "B"),
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


def _smooth(keys: list[MouthKey]) -> list[MouthKey]:
    """No shape shorter than two frames: a too-short key is absorbed by its longer neighbour."""
    keys = _merge(keys)
    changed = True
    while changed and len(keys) > 1:
        changed = False
        for i, key in enumerate(keys):
            if key.end - key.start >= MIN_SHAPE or key.shape == "A":
                continue
            # Closed lips (A) must stay visible: they are what viewers read as P, B, M.
            left = keys[i - 1] if i > 0 else None
            right = keys[i + 1] if i + 1 < len(keys) else None
            target = max((n for n in (left, right) if n is not None), key=lambda n: n.end - n.start)
            if target is left:
                keys[i - 1] = MouthKey(left.start, key.end, left.shape)
            else:
                keys[i + 1] = MouthKey(key.start, right.end, right.shape)
            del keys[i]
            keys = _merge(keys)
            changed = True
            break
    return keys


def mouth_timeline_from_phonemes(phonemes, duration: float) -> list[MouthKey]:
    keys: list[MouthKey] = []
    cursor = 0.0
    for item in phonemes:
        start, end, symbol = item.start, item.end, item.phoneme
        if start - cursor >= REST_GAP:
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
