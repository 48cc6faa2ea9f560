"""Mouth shapes over time, as Rhubarb Lip Sync's Preston Blair set: from phoneme timing or from the audio itself.

A closed (P B M), B slightly open with teeth (most consonants), C open (EH AE), D wide open (AA AH), E rounded
(AO ER), F puckered (UW OW W), G upper teeth on lower lip (F V), H tongue up (L), X rest.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from composer.render import pcm

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


# In-betweens from the same Preston Blair set: wide open (D) to closed (A) or rest (X) and back passes through
# open (C), as animators draw it.
TWEENS = {pair: "C" for pair in (("D", "A"), ("D", "X"), ("A", "D"), ("X", "D"))}


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
    """One pass: a key shorter than two frames goes to the key after it (to the one before only when that one
    is shorter still), never to rest. Closed lips (A) stay, because viewers read them as P, B, M; they are
    stretched to one full frame instead so no frame misses them."""
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
        # Rest never swallows a sound (a word after a pause would start on closed lips); closed lips are not
        # stretched over the sound after them either.
        previous_length = out[-1].end - out[-1].start if out and out[-1].shape not in "AX" else -1.0
        following_length = following.end - following.start \
            if following is not None and (following.shape != "X" or key.shape == "X") else -1.0
        # Forward when the shape before is long enough anyway: the mouth anticipates a sound, never lags it.
        if following_length >= 0 and (following_length >= previous_length or previous_length >= MIN_SHAPE):
            keys[i + 1] = MouthKey(key.start, following.end, following.shape)
        elif previous_length >= 0:
            out[-1] = MouthKey(out[-1].start, key.end, out[-1].shape)
        else:
            out.append(key)   # a lone short sound between rests: shown as it is
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


def _silence_after(items: list[tuple[float, float, str]], index: int, duration: float) -> float:
    """How long it is quiet from the pause at `index`: the pause and any untimed gap up to the next sound (to the
    end of the track when nothing sounds after it)."""
    following = next((item[0] for item in items[index + 1:] if item[2] != " "), max(duration, items[index][1]))
    return following - items[index][0]


def mouth_timeline_from_phonemes(phonemes, duration: float, start: float = 0.0) -> list[MouthKey]:
    """Mouth keys covering start..duration from timed phonemes (objects with start, end, phoneme). Silences of
    120 ms or more rest (X), counting a pause together with the gap after it (a sentence end before a <break>),
    and the speech's last pause always rests; shorter pauses hold the shape before them. Big changes of
    opening pass through an in-between shape (see _tween)."""
    keys: list[MouthKey] = []
    cursor = start
    items = _join_pauses(phonemes)
    last_sound = max((i for i, item in enumerate(items) if item[2] != " "), default=-1)
    for index, (begin, end, symbol) in enumerate(items):
        if begin - cursor >= REST_GAP or (begin > cursor and not keys):
            keys.append(MouthKey(cursor, begin, "X"))
        elif begin > cursor and keys:
            keys[-1] = MouthKey(keys[-1].start, begin, keys[-1].shape)
        if symbol.strip() == "":
            silence = _silence_after(items, index, duration)
            shape = "X" if silence >= REST_GAP or index > last_sound or not keys else keys[-1].shape
        else:
            shape = next((PHONEME_SHAPES[c] for c in symbol if c in PHONEME_SHAPES), None)
            if shape is None:
                shape = keys[-1].shape if keys else "B"
        keys.append(MouthKey(begin, end, shape))
        cursor = end
    if cursor < duration:
        keys.append(MouthKey(cursor, duration, "X"))
    return _tween(_smooth(keys))


# A silence between two sounds at least this long settles the mouth: what comes after it cannot change the keys
# before its last three frames. (It is a rest, whose first frame at most goes to the shape before it, a closed-lips
# stretch or an in-between; the shape after it takes at most its last frame, which it does for any rest of three
# frames or more; nothing else reaches across a rest. So the keys up to three frames before the silence's end are
# those of the whole, and the three frames left to the next piece make the same choice at its end.) Four frames
# settle most sentence ends of Piper's voices, whose pauses are 150-300 ms.
SETTLING_REST = 4 * FRAME
SETTLED_TAIL = 3 * FRAME


def _silences(phonemes, start: float, until: float | None = None) -> list[tuple[float, float]]:
    """(start, end) of every stretch without a sound that has a sound after it, from `start` on; with `until`, also
    the quiet from the last sound to `until`."""
    silences, quiet_from, sounded = [], start, False
    for item_start, item_end, symbol in _join_pauses(phonemes):
        if symbol == " ":
            continue
        if quiet_from is not None and item_start > quiet_from:
            silences.append((quiet_from, item_start))
        quiet_from, sounded = item_end, True
    if until is not None and sounded and until > quiet_from:
        silences.append((quiet_from, until))
    return silences


class MouthTimeline:
    """The mouth keys of speech that arrives a piece at a time. Keys are given out (`keys`, up to `settled`) once
    nothing still to come can change them: up to three frames before the end of a silence of at least
    SETTLING_REST that has speech after it, or that ends what is known so far. Until then the keys from the last
    such point on are worked out again with every piece; at the end, all of them."""

    def __init__(self):
        self.keys: list[MouthKey] = []
        self.settled = 0.0
        self._phonemes: list = []

    def add(self, phonemes, known_until: float) -> None:
        self._phonemes += phonemes
        # Whatever comes next starts at known_until at the earliest, so a quiet end of at least SETTLING_REST is
        # such a silence too, however it ends: a piece that ends a sentence settles the mouth up to its last frames.
        point = max((end - SETTLED_TAIL for begin, end in _silences(self._phonemes, self.settled, known_until)
                     if end - begin >= SETTLING_REST - 1e-9), default=None)
        if point is None:
            return
        window = mouth_timeline_from_phonemes(self._phonemes, known_until, self.settled)
        self.keys += [MouthKey(key.start, min(key.end, point), key.shape) for key in window if key.start < point]
        self.settled = point
        # What reaches past the point starts there (a pause), as the next window does.
        self._phonemes = [p if p.start >= point else type(p)(point, p.end, p.phoneme)
                          for p in self._phonemes if p.end > point]

    def finish(self, duration: float) -> None:
        self.keys += mouth_timeline_from_phonemes(self._phonemes, duration, self.settled)
        self._phonemes = []
        self.settled = float("inf")


def mouth_keys(phonemes, duration: float) -> list[MouthKey]:
    """The mouth of a whole speech track, by MouthTimeline (what the renderer shows)."""
    timeline = MouthTimeline()
    timeline.add(phonemes, duration)
    timeline.finish(duration)
    return _merge(timeline.keys)


def _tween(keys: list[MouthKey]) -> list[MouthKey]:
    """Between a wide-open mouth and closed lips (or rest) the mouth passes through a real in-between shape for
    one frame, never an alpha blend. The frame comes from the end of the earlier key (the mouth anticipates the
    next sound, so that sound's shape still arrives on time), or from the start of the later one when the earlier
    is too short; a key never drops below two frames, and closed lips (A) are never shortened."""
    out = list(keys)
    i = 0
    while i + 1 < len(out):
        first, second = out[i], out[i + 1]
        between = TWEENS.get((first.shape, second.shape))
        if between is None or abs(first.end - second.start) > 1e-6:
            i += 1
            continue
        if first.shape != "A" and first.end - first.start >= MIN_SHAPE + FRAME - 1e-9:
            out[i:i + 1] = [MouthKey(first.start, first.end - FRAME, first.shape),
                            MouthKey(first.end - FRAME, first.end, between)]
        elif second.shape != "A" and second.end - second.start >= MIN_SHAPE + FRAME - 1e-9:
            out[i + 1:i + 2] = [MouthKey(second.start, second.start + FRAME, between),
                                MouthKey(second.start + FRAME, second.end, second.shape)]
        i += 2
    return out


def _loudness_and_brightness(samples: np.ndarray, hop: int, sample_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """RMS and spectral centroid of every whole 40 ms frame of `samples`."""
    count = samples.size // hop
    frames = samples[:count * hop].reshape(count, hop).astype(np.float32)
    rms = np.sqrt(np.mean(frames ** 2, axis=1))
    spectrum = np.abs(np.fft.rfft(frames * np.hanning(hop), axis=1))
    freqs = np.fft.rfftfreq(hop, 1 / sample_rate)
    return rms, (spectrum * freqs).sum(axis=1) / (spectrum.sum(axis=1) + 1e-9)


def _audio_keys(rms: np.ndarray, centroid: np.ndarray, total: float) -> list[MouthKey]:
    count = rms.size
    if count == 0:
        return [MouthKey(0.0, total, "X")]
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
    if total > count * FRAME:
        keys.append(MouthKey(count * FRAME, total, "X"))
    return _tween(_smooth(keys))


def mouth_timeline_from_audio(samples: np.ndarray, sample_rate: int) -> list[MouthKey]:
    """Shapes from loudness and brightness per 40 ms frame: silence rests, loud open vowels open wide,
    dull (low-centroid) sound rounds the lips, quiet bright sound shows teeth."""
    rms, centroid = _loudness_and_brightness(samples, int(sample_rate * FRAME), sample_rate)
    return _audio_keys(rms, centroid, samples.size / sample_rate)


def mouth_timeline_from_audio_file(path, sample_rate: int) -> list[MouthKey]:
    """mouth_timeline_from_audio of a mono sound file (composer.render.pcm), read a block at a time."""
    hop = int(sample_rate * FRAME)
    measures = [_loudness_and_brightness(block, hop, sample_rate) for block in pcm.blocks(path, hop * 1000)]
    rms = np.concatenate([m[0] for m in measures]) if measures else np.zeros(0)
    centroid = np.concatenate([m[1] for m in measures]) if measures else np.zeros(0)
    return _audio_keys(rms, centroid, pcm.frames_of(path) / sample_rate)


def shape_at(timeline: list[MouthKey], t: float) -> str:
    """The mouth shape at time t ("X" outside the timeline)."""
    if not timeline:
        return "X"
    index = bisect_right(timeline, t, key=lambda key: key.start) - 1
    if index < 0:
        return "X"
    key = timeline[index]
    return key.shape if t < key.end else "X"
