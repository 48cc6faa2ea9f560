"""Speech engines: Piper (neural, with per-phoneme alignments) and eSpeak NG (multilingual fallback, word events).

Both return an Utterance: float32 mono samples, the sample rate, and timed phonemes / word boundaries.
Loaded voices are cached per process; eSpeak's global state is guarded by a lock.
"""
from __future__ import annotations

import ctypes
import logging
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


@dataclass
class Utterance:
    samples: np.ndarray
    sample_rate: int
    phonemes: list[tuple[float, float, str]] = field(default_factory=list)   # (start, end, phoneme); " " = pause
    word_starts: list[float] = field(default_factory=list)                  # seconds, one per spoken word
    # (character index into the synthesized text, seconds) where the engine reports a word starting.
    word_anchors: list[tuple[int, float]] = field(default_factory=list)


STRESS_MARKS = "ˈˌ"
# Length marks and combining diacritics belong to the phoneme before them.
TRAILING_MARKS = "ːˑ˞ʰʲˤ\u0303\u0306\u0308\u030a\u031e\u031f\u0324\u0325\u0329\u032a\u032f\u0330\u0339"


def fold_marks(phonemes: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    """Give a stress mark's time to the phoneme after it and a length mark's to the one before, so every
    entry is a sound the mouth can show (Piper aligns the marks as symbols of their own)."""
    folded: list[tuple[float, float, str]] = []
    pending_start: float | None = None
    for start, end, symbol in phonemes:
        if symbol and all(c in STRESS_MARKS for c in symbol):
            pending_start = start if pending_start is None else pending_start
            continue
        if symbol and all(c in TRAILING_MARKS for c in symbol) and folded and folded[-1][2] != " ":
            previous = folded[-1]
            folded[-1] = (previous[0], end, previous[2] + symbol)
            continue
        if pending_start is not None:
            start, pending_start = pending_start, None
        folded.append((start, end, symbol.strip(STRESS_MARKS) or symbol))
    return folded


_piper_lock = threading.Lock()


@lru_cache(maxsize=8)
def load_piper(model_path: str, config_path: str):
    from piper import PiperVoice

    with _piper_lock:
        return PiperVoice.load(model_path, config_path=config_path, include_alignments=True)


def piper_utterance(model_path: Path, config_path: Path, text: str, *, length_scale_factor: float) -> Utterance:
    """Synthesize `text` (may contain [[ raw IPA ]] blocks) with Piper."""
    from piper import SynthesisConfig

    voice = load_piper(str(model_path), str(config_path))
    base = voice.config.length_scale or 1.0
    # No random jitter on phoneme lengths: a script always takes the same time, so scene lengths, subtitles and
    # the mouth timeline are reproducible between preview and render. The voice's timbre noise stays.
    config = SynthesisConfig(length_scale=base * length_scale_factor, noise_w_scale=0.0, normalize_audio=False)
    pieces: list[np.ndarray] = []
    phonemes: list[tuple[float, float, str]] = []
    word_starts: list[float] = []
    rate = voice.config.sample_rate
    cursor = 0
    for chunk in voice.synthesize(text, syn_config=config, include_alignments=True):
        audio = chunk.audio_float_array.astype(np.float32)
        pieces.append(audio)
        position = cursor
        at_word_start = True
        for alignment in chunk.phoneme_alignments or []:
            start, end = position / rate, (position + int(alignment.num_samples)) / rate
            position += int(alignment.num_samples)
            symbol = alignment.phoneme
            if symbol in ("^", "$", "_"):
                continue
            if symbol == " " or symbol in ",.;:!?":
                at_word_start = True
                phonemes.append((start, end, " "))
                continue
            if at_word_start and symbol not in "ˈˌ":
                word_starts.append(start)
                at_word_start = False
            phonemes.append((start, end, symbol))
        cursor += audio.size
    samples = np.concatenate(pieces) if pieces else np.zeros(0, np.float32)
    return Utterance(_normalise_peak(samples), rate, fold_marks(phonemes), word_starts)


def _normalise_peak(samples: np.ndarray, peak: float = 0.89) -> np.ndarray:
    top = float(np.max(np.abs(samples))) if samples.size else 0.0
    return samples if top < 1e-4 else (samples * (peak / top)).astype(np.float32)


# --- eSpeak NG through the library that the espeakng-loader package carries -------------------------------

class _Event(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_char * 8)]


_SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                                   ctypes.POINTER(_Event))
EVENT_LIST_TERMINATED, EVENT_WORD, EVENT_PHONEME = 0, 1, 7
AUDIO_OUTPUT_SYNCHRONOUS, POS_CHARACTER, CHARS_UTF8 = 2, 1, 1
# Phoneme events whose names are IPA, so eSpeak's phonemes drive the mouth like Piper's do.
PHONEME_EVENTS, PHONEME_IPA = 0x0001, 0x0002
RATE, PITCH = 1, 3
_espeak_lock = threading.Lock()


class _Espeak:
    def __init__(self):
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        data = espeakng_loader.get_data_path().encode()
        # The data path given is the folder that contains espeak-ng-data.
        parent = str(Path(data.decode()).parent).encode()
        self.sample_rate = self.lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, parent,
                                                      PHONEME_EVENTS | PHONEME_IPA)
        if self.sample_rate <= 0:
            raise RuntimeError("eSpeak NG failed to initialise")
        self.lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                          ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        self._callback = _SYNTH_CALLBACK(self._on_audio)
        self.lib.espeak_SetSynthCallback(self._callback)
        self._pieces: list[np.ndarray] = []
        self._events: list[tuple[int, int, int, str]] = []   # (type, milliseconds, text position, phoneme)

    def _on_audio(self, wav, count, events) -> int:
        if count > 0 and wav:
            self._pieces.append(np.ctypeslib.as_array(wav, shape=(count,)).astype(np.float32) / 32768.0)
        index = 0
        while events and events[index].type != EVENT_LIST_TERMINATED:
            event = events[index]
            if event.type == EVENT_WORD:
                self._events.append((EVENT_WORD, event.audio_position, event.text_position, ""))
            elif event.type == EVENT_PHONEME:
                name = bytes(event.id).split(b"\0")[0].decode("utf-8", "replace")
                self._events.append((EVENT_PHONEME, event.audio_position, event.text_position, name))
            index += 1
        return 0

    def speak(self, text: str, language: str, words_per_minute: int) -> Utterance:
        self._pieces, self._events = [], []
        if self.lib.espeak_SetVoiceByName(language.encode()) != 0:
            raise LookupError(f"eSpeak NG has no voice {language!r}")
        self.lib.espeak_SetParameter(RATE, int(words_per_minute), 0)
        self.lib.espeak_SetParameter(PITCH, 50, 0)
        data = text.encode("utf-8") + b"\0"
        self.lib.espeak_Synth(data, len(data), 0, POS_CHARACTER, 0, CHARS_UTF8, None, None)
        samples = np.concatenate(self._pieces) if self._pieces else np.zeros(0, np.float32)
        words = [(position - 1, ms / 1000) for kind, ms, position, _ in self._events if kind == EVENT_WORD]
        return Utterance(_normalise_peak(samples), self.sample_rate, self._phonemes(samples.size), [w[1] for w in words],
                         words)

    def _phonemes(self, sample_count: int) -> list[tuple[float, float, str]]:
        """Phoneme events mark where each phoneme starts; it lasts until the next one. An unnamed event is a
        pause; "(en)"-style names only announce a language switch."""
        marks = [(ms / 1000, name) for kind, ms, _, name in self._events
                 if kind == EVENT_PHONEME and not name.startswith("(")]
        marks.sort(key=lambda mark: mark[0])
        ends = [mark[0] for mark in marks[1:]] + [sample_count / self.sample_rate]
        phonemes = [(start, end, name.strip(".-") or " ") for (start, name), end in zip(marks, ends, strict=True)]
        return fold_marks([p for p in phonemes if p[1] > p[0]])


_espeak: _Espeak | None = None


def espeak_utterance(text: str, language: str, *, speed: float) -> Utterance:
    """eSpeak NG speech for `language` (e.g. "cmn", "ja", "ko", "en-us"); speed 1.0 = 175 words a minute."""
    global _espeak
    with _espeak_lock:
        if _espeak is None:
            _espeak = _Espeak()
        return _espeak.speak(text, language, int(175 * speed))
