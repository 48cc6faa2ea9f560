"""Piper's fixed noise against onnxruntime's random noise: does the voice keep its character, and what does it cost?

For a few sentences it prints, per measure (spectral flatness and RMS of the loud frames, share of energy above
4 kHz), the spread of DRAWS syntheses with the voice's own random noise (mean and standard deviation), where the
fixed-noise synthesis falls in that spread (z), and where a synthesis without noise (noise_scale=0) falls. Then the
CPU seconds per sentence of both sessions, interleaved (the machine is shared: CPU time, not wall time), the
load's CPU time and resident memory, and the spread of tables made from other seeds against the random draws.
Run: PYTHONPATH=$PWD .venv/bin/python bench/piper_noise_bench.py [rounds]
     PYTHONPATH=$PWD .venv/bin/python bench/piper_noise_bench.py --memory fixed|random
     PYTHONPATH=$PWD .venv/bin/python bench/piper_noise_bench.py --op"""
from __future__ import annotations

import resource
import sys
import time

import numpy as np

from composer.render.speech import engines
from composer.render.speech.engines import load_piper
from composer.render.speech.voices import _joe

SENTENCES = [
    "Hello there, this is Joe speaking to you today.",
    "Our quarterly results show steady growth across every region we serve.",
    "Please remember to save your work before you close the editor.",
    "The quick brown fox jumps over the lazy dog, and then it runs away into the forest.",
    "Thank you for watching, and see you in the next video.",
]
DRAWS = 8
FRAME = 1024


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def synthesize(voice, text: str, noise_scale: float | None = None) -> np.ndarray:
    from piper import SynthesisConfig

    config = SynthesisConfig(noise_w_scale=0.0, noise_scale=noise_scale, normalize_audio=False)
    return np.concatenate([chunk.audio_float_array for chunk in voice.synthesize(text, syn_config=config)])


def measures(samples: np.ndarray, rate: int) -> dict[str, float]:
    frames = samples[: samples.size // FRAME * FRAME].reshape(-1, FRAME).astype(np.float64)
    loudness = np.sqrt((frames ** 2).mean(axis=1))
    loud = frames[loudness > 0.1 * loudness.max()]
    power = np.abs(np.fft.rfft(loud * np.hanning(FRAME), axis=1)) ** 2 + 1e-12
    flatness = np.exp(np.log(power).mean(axis=1)) / power.mean(axis=1)
    high = np.fft.rfftfreq(FRAME, 1 / rate) > 4000
    return {"flatness": float(flatness.mean()), "rms": float(np.sqrt((loud ** 2).mean())),
            "high share": float((power[:, high].sum(axis=1) / power.sum(axis=1)).mean())}


def log_spectra(samples: np.ndarray) -> np.ndarray:
    hop = FRAME // 4
    count = (samples.size - FRAME) // hop
    frames = np.stack([samples[i * hop:i * hop + FRAME] for i in range(count)]).astype(np.float64)
    return 10 * np.log10(np.abs(np.fft.rfft(frames * np.hanning(FRAME), axis=1)) ** 2 + 1e-8)


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """Log-spectral distance in dB between two syntheses of one sentence (same length: no duration noise)."""
    return float(np.sqrt(((a - b) ** 2).mean(axis=1)).mean())


def row(label: str, values: list[float], fixed: float, silent: float | None) -> None:
    mean, sd = float(np.mean(values)), float(np.std(values, ddof=1))
    end = f"{silent:>10.5f}{(silent - mean) / sd:>8.2f}" if silent is not None else ""
    print(f"{label:<22}{mean:>12.5f}{sd:>11.5f}{fixed:>10.5f}{(fixed - mean) / sd:>7.2f}{end}")


def character(seeded, random) -> None:
    """Per sentence: the measures of the random draws (mean, sd), the fixed synthesis and its z, the synthesis
    without noise and its z; then distances: random draw to another draw and to the noiseless synthesis, against
    the fixed synthesis to the draws and to the noiseless one."""
    rate = seeded.config.sample_rate
    for number, text in enumerate(SENTENCES, 1):
        print(f"sentence {number}{'':<12}{'random mean':>12}{'random sd':>11}{'fixed':>10}{'z':>7}"
              f"{'no noise':>10}{'z':>8}")
        draws = [synthesize(random, text) for _ in range(DRAWS)]
        fixed, silent = synthesize(seeded, text), synthesize(seeded, text, noise_scale=0.0)
        found = [measures(d, rate) for d in draws]
        for key, value in measures(fixed, rate).items():
            row(key, [f[key] for f in found], value, measures(silent, rate)[key])
        spectra = [log_spectra(d) for d in draws]
        fixed_spectrum, silent_spectrum = log_spectra(fixed), log_spectra(silent)
        pairs = [distance(a, b) for i, a in enumerate(spectra) for b in spectra[i + 1:]]
        row("dB to another draw", pairs, float(np.mean([distance(fixed_spectrum, s) for s in spectra])), None)
        row("dB to no noise", [distance(s, silent_spectrum) for s in spectra], distance(fixed_spectrum,
                                                                                         silent_spectrum), None)


def other_seeds(random, count: int = 8) -> None:
    """One fixed synthesis is one draw: set against many of onnxruntime's draws, tables made from `count` other
    seeds should spread alike (mean and sd of the distance to the noiseless synthesis, and of the flatness)."""
    joe = _joe()
    print(f"{'sentence':<10}{'measure':<16}{'random mean':>12}{'random sd':>11}{'tables mean':>12}{'tables sd':>11}")
    rate = random.config.sample_rate
    seed = engines.NOISE_SEED
    texts = SENTENCES[:3]
    silent = [synthesize(random, text, noise_scale=0.0) for text in texts]
    found: dict[str, list[list[dict]]] = {"random": [[] for _ in texts], "tables": [[] for _ in texts]}

    def note(kind: str, voice) -> None:
        for number, text in enumerate(texts):
            samples = synthesize(voice, text)
            values = measures(samples, rate)
            values["dB to no noise"] = distance(log_spectra(samples), log_spectra(silent[number]))
            found[kind][number].append(values)

    for _ in range(3 * count):
        note("random", random)
    try:
        for offset in range(1, count + 1):
            engines.NOISE_SEED = seed + offset
            engines.load_piper.cache_clear()
            note("tables", load_piper(str(joe.model_path), str(joe.config_path)))
    finally:
        engines.NOISE_SEED = seed
        engines.load_piper.cache_clear()
    for number in range(len(texts)):
        for key in ("flatness", "dB to no noise"):
            draws = [v[key] for v in found["random"][number]]
            tables = [v[key] for v in found["tables"][number]]
            print(f"{number + 1:<10}{key:<16}{np.mean(draws):>12.5f}{np.std(draws, ddof=1):>11.5f}"
                  f"{np.mean(tables):>12.5f}{np.std(tables, ddof=1):>11.5f}")


def cpu(seeded, random, rounds: int) -> None:
    spent = {"random": 0.0, "fixed": 0.0}
    for _ in range(rounds):
        for label, voice in (("random", random), ("fixed", seeded)):
            started = time.process_time()
            for text in SENTENCES:
                synthesize(voice, text)
            spent[label] += time.process_time() - started
    count = rounds * len(SENTENCES)
    for label, seconds in spent.items():
        print(f"CPU per sentence, {label} noise: {seconds / count * 1000:.1f} ms ({count} sentences)")
    print(f"fixed / random: {spent['fixed'] / spent['random']:.3f}")


def memory(fixed: bool) -> None:
    """Resident memory of this process after loading one session, and its peak after the sentences (run once per
    kind, each in a fresh process)."""
    joe = _joe()
    before = rss_mb()
    started = time.process_time()
    voice = load_piper(str(joe.model_path), str(joe.config_path), fixed_noise=fixed)
    spent, loaded = time.process_time() - started, rss_mb()
    for text in SENTENCES * 2:
        synthesize(voice, text)
    print(f"{'fixed' if fixed else 'random'} noise: load {spent:.2f} CPU s, RSS {before:.0f} -> {loaded:.0f} MB "
          f"after loading, {rss_mb():.0f} MB after {2 * len(SENTENCES)} sentences, "
          f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def op_cost(runs: int = 300) -> None:
    """CPU per run of the noise alone: onnxruntime's RandomNormalLike against the fixed table's slice, for the
    prior of a ten-second sentence (192 channels x 861 frames)."""
    import onnxruntime
    from onnx import TensorProto, helper

    def model():
        graph = helper.make_graph(
            [helper.make_node("RandomNormalLike", ["x"], ["y"], dtype=TensorProto.FLOAT)], "noise",
            [helper.make_tensor_value_info("input", TensorProto.INT64, [1, None]),
             helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 192, None])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
        return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)])

    fixed = model()
    engines.fix_noise(fixed)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    feed = {"input": (np.arange(120, dtype=np.int64) % 60)[None], "x": np.zeros((1, 192, 861), np.float32)}
    for label, graph in (("RandomNormalLike", model()), ("fixed table", fixed)) * 2:
        session = onnxruntime.InferenceSession(graph.SerializeToString(), sess_options=options,
                                               providers=["CPUExecutionProvider"])
        session.run(None, feed)
        started = time.process_time()
        for _ in range(runs):
            session.run(None, feed)
        print(f"noise op, {label}: {(time.process_time() - started) / runs * 1000:.3f} ms CPU per run")


def main() -> None:
    if sys.argv[1:2] == ["--op"]:
        op_cost()
        return
    if sys.argv[1:2] == ["--memory"]:
        memory(sys.argv[2] == "fixed")
        return
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    joe = _joe()
    before = rss_mb()
    started = time.process_time()
    random = load_piper(str(joe.model_path), str(joe.config_path), fixed_noise=False)
    loaded = time.process_time()
    middle = rss_mb()
    seeded = load_piper(str(joe.model_path), str(joe.config_path))
    print(f"load CPU: random {loaded - started:.2f} s, fixed {time.process_time() - loaded:.2f} s; "
          f"RSS added: random {middle - before:.0f} MB, fixed {rss_mb() - middle:.0f} MB")
    character(seeded, random)
    cpu(seeded, random, rounds)
    other_seeds(random)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
