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
    phonemes: list[tuple[float, float, str]] = field(default_factory=list)   # (start, end, phoneme)
    word_starts: list[float] = field(default_factory=list)                  # seconds, one per spoken word


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
    config = SynthesisConfig(length_scale=base * length_scale_factor, normalize_audio=False)
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
    return Utterance(_normalise_peak(samples), rate, phonemes, word_starts)


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
AUDIO_OUTPUT_SYNCHRONOUS, POS_CHARACTER, CHARS_UTF8, PHONEME_EVENTS = 2, 1, 1, 0x0001
RATE, PITCH = 1, 3
_espeak_lock = threading.Lock()


class _Espeak:
    def __init__(self):
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        data = espeakng_loader.get_data_path().encode()
        # The data path given is the folder that contains espeak-ng-data.
        parent = str(Path(data.decode()).parent).encode()
        self.sample_rate = self.lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, parent, PHONEME_EVENTS)
        if self.sample_rate <= 0:
            raise RuntimeError("eSpeak NG failed to initialise")
        self.lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                          ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        self._callback = _SYNTH_CALLBACK(self._on_audio)
        self.lib.espeak_SetSynthCallback(self._callback)
        self._pieces: list[np.ndarray] = []
        self._events: list[tuple[int, int]] = []

    def _on_audio(self, wav, count, events) -> int:
        if count > 0 and wav:
            self._pieces.append(np.ctypeslib.as_array(wav, shape=(count,)).astype(np.float32) / 32768.0)
        index = 0
        while events and events[index].type != EVENT_LIST_TERMINATED:
            event = events[index]
            if event.type in (EVENT_WORD, EVENT_PHONEME):
                self._events.append((event.type, event.audio_position))
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
        words = [ms / 1000 for kind, ms in self._events if kind == EVENT_WORD]
        marks = sorted(ms / 1000 for kind, ms in self._events if kind == EVENT_PHONEME)
        phonemes = [(a, b, "ə") for a, b in zip(marks, marks[1:] + [samples.size / self.sample_rate])]
        return Utterance(_normalise_peak(samples), self.sample_rate, phonemes, words)


_espeak: _Espeak | None = None


def espeak_utterance(text: str, language: str, *, speed: float) -> Utterance:
    """eSpeak NG speech for `language` (e.g. "cmn", "ja", "ko", "en-us"); speed 1.0 = 175 words a minute."""
    global _espeak
    with _espeak_lock:
        if _espeak is None:
            _espeak = _Espeak()
        return _espeak.speak(text, language, int(175 * speed))
