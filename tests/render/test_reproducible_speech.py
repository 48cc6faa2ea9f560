"""Piper speaks a sentence the same way every time: the voice's timbre noise is a fixed table sliced at a place
hashed from the sentence's phonemes (engines.fix_noise), not onnxruntime's unseeded random draws. The noise is
still there and as strong as the voice's own."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import pytest
from onnx import TensorProto, helper

from composer.render.speech import BUILTIN_VOICES, engines, voice_ref_for

SENTENCE = "Our quarterly results show steady growth across every region we serve."
OTHER = "Please remember to save your work before you close the editor."
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def joe():
    return voice_ref_for("voice-en-us-joe")


def speak(voice, text: str) -> np.ndarray:
    return engines.piper_utterance(voice.model_path, voice.config_path, text, length_scale_factor=1.0).samples


def digest(samples: np.ndarray) -> str:
    return hashlib.sha256(samples.tobytes()).hexdigest()


def raw(voice, text: str, noise_scale: float | None = None, fixed_noise: bool = True) -> np.ndarray:
    """The model's own output (not peak-normalised), with the voice's noise_scale unless one is given."""
    from piper import SynthesisConfig

    piper = engines.load_piper(str(voice.model_path), str(voice.config_path), *(() if fixed_noise else (False,)))
    config = SynthesisConfig(noise_scale=noise_scale, noise_w_scale=0.0, normalize_audio=False)
    return np.concatenate([c.audio_float_array for c in piper.synthesize(text, syn_config=config)])


def test_a_sentence_sounds_the_same_every_time_in_one_process(joe):
    first, second = speak(joe, SENTENCE), speak(joe, OTHER)
    assert np.array_equal(speak(joe, SENTENCE), first)
    assert np.array_equal(speak(joe, OTHER), second)


def test_a_sentence_sounds_the_same_in_another_process(joe):
    code = ("import hashlib, sys\n"
            "from composer.render.speech import engines, voice_ref_for\n"
            "joe = voice_ref_for('voice-en-us-joe')\n"
            "samples = engines.piper_utterance(joe.model_path, joe.config_path, sys.argv[1],"
            " length_scale_factor=1.0).samples\n"
            "print(hashlib.sha256(samples.tobytes()).hexdigest())\n")
    done = subprocess.run([sys.executable, "-c", code, SENTENCE], capture_output=True, text=True, check=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert done.stdout.strip() == digest(speak(joe, SENTENCE))


def test_different_sentences_are_not_the_same_sound(joe):
    assert not np.array_equal(speak(joe, SENTENCE)[:20000], speak(joe, OTHER)[:20000])


def log_spectra(samples: np.ndarray, size: int = 1024) -> np.ndarray:
    frames = np.lib.stride_tricks.sliding_window_view(samples.astype(np.float64), size)[::size // 4]
    return 10 * np.log10(np.abs(np.fft.rfft(frames * np.hanning(size), axis=1)) ** 2 + 1e-8)


def spectral_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Mean log-spectral distance in dB between two syntheses of the same sentence (same length)."""
    return float(np.sqrt(((log_spectra(a) - log_spectra(b)) ** 2).mean(axis=1)).mean())


def test_the_noise_is_there_and_as_strong_as_the_voices_own(joe):
    fixed, silent = raw(joe, SENTENCE), raw(joe, SENTENCE, noise_scale=0.0)
    assert fixed.size == silent.size            # no duration noise: the same frames, only the timbre differs
    draws = [raw(joe, SENTENCE, fixed_noise=False) for _ in range(4)]
    own = [spectral_distance(draw, silent) for draw in draws]
    ours = spectral_distance(fixed, silent)
    # Without noise the sound is measurably another one; with ours it is as far from it as the random draws are.
    assert ours > 0.5 * min(own)
    assert ours < 2.0 * max(own)
    assert not np.array_equal(draws[0], draws[1])   # onnxruntime's own draws do differ run to run


@pytest.mark.parametrize("voice_id", [v["asset_id"] for v in BUILTIN_VOICES if v["kind"] == "piper"])
def test_every_piper_voice_loses_its_random_ops_and_keeps_its_alignments(voice_id):
    voice = voice_ref_for(voice_id)
    model = onnx.load(str(voice.model_path))
    assert engines.fix_noise(model) >= 1
    assert not [node for node in model.graph.node if node.op_type in engines.RANDOM_OPS]
    session = engines.load_piper(str(voice.model_path), str(voice.config_path)).session
    assert len(session.get_outputs()) == 2      # the audio and Piper's alignments
    assert digest(speak(voice, SENTENCE)) == digest(speak(voice, SENTENCE))


def random_ops_model() -> onnx.ModelProto:
    """x -> RandomNormalLike(mean 1, scale 3), RandomUniformLike(low 2, high 4), RandomNormal(shape 2x3)."""
    nodes = [helper.make_node("RandomNormalLike", ["x"], ["normal"], mean=1.0, scale=3.0),
             helper.make_node("RandomUniformLike", ["x"], ["uniform"], low=2.0, high=4.0),
             helper.make_node("RandomNormal", [], ["fixed"], shape=[2, 3], dtype=TensorProto.FLOAT)]
    graph = helper.make_graph(
        nodes, "randoms",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, [1, None]),
         helper.make_tensor_value_info("x", TensorProto.FLOAT, [None])],
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, None) for name in ("normal", "uniform", "fixed")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)])


def run(model: onnx.ModelProto, ids: list[int], size: int) -> list[np.ndarray]:
    session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {"ids": np.array([ids], np.int64), "x": np.zeros(size, np.float32)})


def test_each_kind_of_random_op_keeps_its_distribution_and_repeats_past_the_table(monkeypatch):
    monkeypatch.setattr(engines, "NOISE_COVERED", 4096)
    monkeypatch.setattr(engines, "NOISE_OFFSETS", 1024)
    model = random_ops_model()
    assert engines.fix_noise(model) == 3
    size = 50_000                                 # far past the table: it repeats
    normal, uniform, fixed = run(model, [3, 14, 15], size)
    again = run(model, [3, 14, 15], size)
    assert all(np.array_equal(a, b) for a, b in zip((normal, uniform, fixed), again, strict=True))
    assert normal.shape == uniform.shape == (size,) and fixed.shape == (2, 3)
    assert abs(normal.mean() - 1.0) < 0.15 and abs(normal.std() - 3.0) < 0.15
    assert uniform.min() >= 2.0 and uniform.max() < 4.0 and abs(uniform.mean() - 3.0) < 0.05
    other = run(model, [3, 14, 16], size)[0]
    assert not np.array_equal(other, normal)      # other phonemes start elsewhere in the table


def test_a_voice_is_prepared_once_and_read_back_by_later_loads(joe, tmp_path, monkeypatch):
    monkeypatch.setenv("COMPOSER_VOICE_CACHE", str(tmp_path / "voices"))
    first = engines.prepared_piper_model(joe.model_path)
    assert len(first) == 2                        # the front part and the decoder
    kept = sorted((tmp_path / "voices").iterdir())
    assert [path.name.endswith(".decoder.onnx") for path in kept] == [True, False]
    assert (kept[1].read_bytes(), kept[0].read_bytes()) == first
    assert not [path for path in kept[0].parent.iterdir() if path.name.startswith(".")]   # no partial file left
    # A later load reads the kept parts (a changed copy on disk would be what it returns)...
    kept[0].write_bytes(first[1] + b"\n")
    assert engines.prepared_piper_model(joe.model_path) == (first[0], first[1] + b"\n")
    # ...and the parts are the model prepared afresh: no random op, the alignment output added, cut at the decoder.
    front, decoder = (onnx.load_model_from_string(part).graph for part in first)
    assert not [node for node in [*front.node, *decoder.node] if node.op_type in engines.RANDOM_OPS]
    assert len(front.output) == len(onnx.load(str(joe.model_path)).graph.output) + 1
    assert [i.name for i in decoder.input] == [front.output[0].name]
    assert all(node.name.startswith("/dec/") or node.op_type in ("Unsqueeze", "Constant") for node in decoder.node)


def test_a_voice_whose_folder_cannot_be_written_is_still_prepared(joe, tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("COMPOSER_VOICE_CACHE", str(blocked / "voices"))
    parts = engines.prepared_piper_model(joe.model_path)
    assert len(parts) == 2
    assert not [node for part in parts for node in onnx.load_model_from_string(part).graph.node
                if node.op_type in engines.RANDOM_OPS]
    assert engines.prepared_piper_model(joe.model_path, fixed_noise=False) != parts


LONG = ("Our quarterly results show steady growth across every region we serve, and the teams that made it happen "
        "worked through a long winter of launches, customer visits and late nights to get there, together, again.")


def test_the_decoder_runs_in_windows_and_sounds_as_the_whole_model_does(joe, monkeypatch):
    """The split model, its decoder run over windows of a long sentence's frames, gives the unsplit model's
    samples and alignments; no decoder run reads more than a window and its context."""
    voice = engines.load_piper(str(joe.model_path), str(joe.config_path))
    [ids] = [voice.phonemes_to_ids(phonemes) for phonemes in voice.phonemize(LONG)]
    feed = {"input": np.array([ids], np.int64), "input_lengths": np.array([len(ids)], np.int64),
            "scales": np.array([0.667, 1.0, 0.0], np.float32)}
    whole = onnx.load(str(joe.model_path))
    engines.fix_noise(whole)
    [lengths_name] = [node.output[0] for node in whole.graph.node if node.op_type == "Ceil"]
    whole.graph.output.append(helper.make_empty_tensor_value_info(lengths_name))
    expected_audio, expected_lengths = onnxruntime.InferenceSession(
        whole.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, feed)

    session = voice.session
    reads: list[int] = []
    decoder_run = session._decoder.run
    monkeypatch.setattr(session, "_decoder", type("Spy", (), {"run": lambda self, names, feed, options=None: (
        reads.append(next(iter(feed.values())).shape[-1]) or decoder_run(names, feed, options))})())
    audio, lengths = session.run(None, feed)
    assert len(reads) >= 5                        # the sentence spans several windows (10 s, 1.5 s each)
    assert max(reads) <= engines.DECODER_WINDOW + 2 * engines.DECODER_CONTEXT
    assert audio.shape == expected_audio.shape and np.array_equal(lengths, expected_lengths)
    assert np.abs(audio - expected_audio).max() < 1e-6


THREE = ("Welcome to the spring update of our studio. Every scene now renders while you watch. "
         "Your team approves exactly what will be published.")


def test_the_first_sentences_are_spoken_at_once_and_sound_as_when_spoken_one_by_one(joe, monkeypatch):
    """A render's frames wait for the second sentence's first word (subtitles.CueBuilder), so the first scene's first
    two sentences are made on two threads at once; what comes out is what one thread makes, sample for sample."""
    import threading
    import time

    from composer.render.speech import realize
    from composer.spec.ssml import parse_script_text

    calls = []

    def timed(*args, **kwargs):
        started = time.perf_counter()
        utterance = engines.piper_utterance(*args, **kwargs)
        calls.append((started, time.perf_counter(), threading.get_ident()))
        return utterance

    monkeypatch.setattr(realize, "piper_utterance", timed)

    def spoken(together: int):
        calls.clear()
        pieces = list(realize.speak_pieces(parse_script_text(THREE), joe, speed=100, pitch=100, volume=140,
                                           together=together))
        return (np.concatenate([p.samples for p in pieces]), [w for p in pieces for w in p.words],
                [ph for p in pieces for ph in p.phonemes]), sorted(calls)

    (samples, words, phonemes), together = spoken(realize.SPOKEN_TOGETHER)
    assert len(together) == 3
    (start1, end1, thread1), (start2, end2, thread2), (start3, _, _) = together
    assert thread1 != thread2 and start2 < end1 and start1 < end2          # the first two overlap
    assert start3 >= min(end1, end2)                                      # the third waits for a thread

    (alone, alone_words, alone_phonemes), one_by_one = spoken(1)
    assert all(a[1] <= b[0] for a, b in zip(one_by_one, one_by_one[1:], strict=False))
    assert np.array_equal(samples, alone) and words == alone_words and phonemes == alone_phonemes


def test_piper_reads_text_under_one_lock_for_every_thread(joe):
    """Piper's eSpeak NG bridge keeps one global state (the voice set, then the text read in another call): two
    threads reading text at once, in two languages, could read with each other's voice."""
    import threading

    voice = engines.load_piper(str(joe.model_path), str(joe.config_path))
    read = []
    with engines._espeak_bridge_lock:
        reader = threading.Thread(target=lambda: read.append(voice.phonemize("Hello there.")))
        reader.start()
        reader.join(0.5)
        assert reader.is_alive() and not read                            # waits for the lock
    reader.join(10)
    assert read and read[0][0]
