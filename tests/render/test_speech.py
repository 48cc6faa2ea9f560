from __future__ import annotations

from itertools import pairwise

import av
import numpy as np
import pytest

from composer.render.speech import (
    BUILTIN_VOICES,
    SpeechTrack,
    load_audio_track,
    synthesize_script,
    voice_ref_for,
)
from composer.render.speech.dsp import pitch_shift
from composer.render.speech.normalize import say_as

SENTENCE = "Hello there, this is Joe speaking to you today."


@pytest.fixture(scope="module")
def joe():
    return voice_ref_for("voice-en-us-joe")


@pytest.fixture(scope="module")
def sentence(joe) -> SpeechTrack:
    return synthesize_script(SENTENCE, joe)


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))


def dominant_f0(track: SpeechTrack) -> float:
    """Median autocorrelation pitch of the loud (voiced) 40 ms frames, in Hz."""
    rate = track.sample_rate
    size = int(0.04 * rate)
    frames = track.samples[: track.samples.size // size * size].reshape(-1, size)
    loudness = np.sqrt((frames ** 2).mean(axis=1))
    shortest, longest = rate // 400, rate // 60
    pitches = []
    for frame in frames[loudness > 0.3 * loudness.max()]:
        frame = frame - frame.mean()
        correlation = np.correlate(frame, frame, mode="full")[size - 1:]
        lag = shortest + int(np.argmax(correlation[shortest:longest]))
        if correlation[lag] > 0.4 * correlation[0]:
            pitches.append(rate / lag)
    return float(np.median(pitches))


def silent_stretches(track: SpeechTrack, threshold: float = 0.01) -> list[float]:
    """Lengths in seconds of the stretches of 10 ms windows quieter than threshold."""
    size = track.sample_rate // 100
    frames = track.samples[: track.samples.size // size * size].reshape(-1, size)
    quiet = np.abs(frames).max(axis=1) < threshold
    stretches, count = [], 0
    for is_quiet in quiet:
        if is_quiet:
            count += 1
        elif count:
            stretches.append(count / 100)
            count = 0
    return stretches + ([count / 100] if count else [])


def test_it_speaks_a_sentence(sentence):
    assert sentence.sample_rate == 22050
    assert sentence.samples.dtype == np.float32
    assert 1.5 < sentence.duration < 5.0
    assert sentence.duration == pytest.approx(sentence.samples.size / sentence.sample_rate)
    assert rms(sentence.samples) > 0.03
    assert np.abs(sentence.samples).max() <= 1.0


def test_it_times_phonemes_monotonically_within_the_audio(sentence):
    phonemes = sentence.phonemes
    assert len(phonemes) > 25
    assert all(p.start < p.end for p in phonemes)
    assert all(a.end <= b.start + 1e-9 for a, b in pairwise(phonemes))
    assert 0 <= phonemes[0].start and phonemes[-1].end <= sentence.duration + 1e-6
    # Stress and length marks are folded into the sounds they belong to.
    assert not any(p.phoneme in ("ˈ", "ˌ", "ː") for p in phonemes)


def test_phoneme_timing_matches_the_audio(sentence):
    """Where Piper says a pause is, the audio is quiet; where it says a vowel is, the audio is loud."""
    def level(start: float, end: float) -> float:
        return rms(sentence.samples[int(start * sentence.sample_rate):int(end * sentence.sample_rate)])

    pauses = [p for p in sentence.phonemes if p.phoneme == " " and p.end - p.start > 0.08]
    vowels = [p for p in sentence.phonemes if p.phoneme[0] in "aeiouɑɛɪʊəɔæʌ" and p.end - p.start > 0.04]
    assert pauses and vowels
    loud = np.median([level(v.start, v.end) for v in vowels])
    assert all(level(p.start + 0.02, p.end - 0.02) < 0.25 * loud for p in pauses)


def test_it_lists_the_written_words_with_times(sentence):
    assert [w.text for w in sentence.words] == SENTENCE.split()
    assert all(w.start < w.end for w in sentence.words)
    assert all(a.start <= b.start for a, b in pairwise(sentence.words))
    assert sentence.words[-1].end <= sentence.duration


def test_a_break_adds_its_silence(joe):
    with_break = synthesize_script('<speak>Hello there.<break time="2s"/>Goodbye now.</speak>', joe)
    without = synthesize_script('<speak>Hello there.<break time="0s"/>Goodbye now.</speak>', joe)
    assert with_break.duration - without.duration == pytest.approx(2.0, abs=0.1)
    assert 2.0 <= max(silent_stretches(with_break)) < 2.6
    there, goodbye = with_break.words[1], with_break.words[2]
    assert goodbye.start - there.end >= 2.0


def test_speed_200_roughly_halves_the_duration(joe, sentence):
    fast = synthesize_script(SENTENCE, joe, speed=200)
    assert 0.4 < fast.duration / sentence.duration < 0.65


def test_pitch_raises_f0_and_keeps_the_duration(joe, sentence):
    high = synthesize_script(SENTENCE, joe, pitch=150)
    assert high.duration == pytest.approx(sentence.duration, rel=0.03)
    assert dominant_f0(high) / dominant_f0(sentence) == pytest.approx(1.5 ** 0.5, rel=0.1)


def test_pitch_shift_keeps_the_length_of_a_tone():
    rate = 22050
    tone = (0.5 * np.sin(2 * np.pi * 150 * np.arange(rate) / rate)).astype(np.float32)
    shifted = pitch_shift(tone, 2 ** (4 / 12), rate)
    assert shifted.size == tone.size
    track = SpeechTrack(shifted, rate)
    assert dominant_f0(track) == pytest.approx(150 * 2 ** (4 / 12), rel=0.04)


def test_volume_changes_loudness_without_clipping(joe, sentence):
    loud = synthesize_script(SENTENCE, joe, volume=240)
    quiet = synthesize_script(SENTENCE, joe, volume=90)
    assert rms(loud.samples) > 1.3 * rms(sentence.samples) > 1.3 * 1.3 * rms(quiet.samples)
    assert np.abs(loud.samples).max() <= 1.0


def test_an_action_falls_between_the_words_around_it(joe):
    track = synthesize_script('<speak>Welcome to the show. <insert-action name="wave"/>Let us begin.</speak>', joe)
    (action,) = track.actions
    assert action.name == "wave"
    show = next(w for w in track.words if w.text == "show.")
    let = next(w for w in track.words if w.text == "Let")
    assert show.end <= action.time <= let.start


def test_subtitles_show_the_written_text_of_sub_and_say_as(joe):
    track = synthesize_script('<speak>Visit the <sub alias="World Wide Web">WWW</sub> on '
                              '<say-as interpret-as="date" format="ymd">2024-05-06</say-as>, ok.</speak>', joe)
    assert [w.text for w in track.words] == ["Visit", "the", "WWW", "on", "2024-05-06,", "ok."]
    # "World Wide Web" takes longer to say than "the".
    www, the = track.words[2], track.words[1]
    assert www.end - www.start > the.end - the.start


def test_prosody_rate_slows_its_span(joe):
    normal = synthesize_script("<speak>One two three four five.</speak>", joe)
    slow = synthesize_script('<speak><prosody rate="x-slow">One two three four five.</prosody></speak>', joe)
    assert slow.duration > 1.5 * normal.duration


def test_ipa_phonemes_are_spoken(joe):
    track = synthesize_script('<speak><phoneme alphabet="ipa" ph="təˈmɑːtoʊ">tomato</phoneme></speak>', joe)
    assert [w.text for w in track.words] == ["tomato"]
    spoken = "".join(p.phoneme for p in track.phonemes)
    assert "mɑː" in spoken and rms(track.samples) > 0.02


def test_mandarin_voice_speaks_with_phonemes_and_characters():
    voice = voice_ref_for("voice-zh-cn-espeak")
    track = synthesize_script("你好，世界。", voice)
    assert track.duration > 0.5 and rms(track.samples) > 0.02
    assert [w.text for w in track.words] == ["你", "好，", "世", "界。"]
    assert any(p.phoneme.startswith("n") for p in track.phonemes)


def test_chinese_text_with_the_english_voice_goes_to_the_mandarin_fallback(joe):
    track = synthesize_script("Hello 你好 world", joe)
    assert [w.text for w in track.words] == ["Hello", "你", "好", "world"]
    hello, ni, hao, world = track.words
    assert hello.end <= ni.start + 0.05 and hao.end <= world.start + 0.05
    middle = track.samples[int(ni.start * track.sample_rate):int(hao.end * track.sample_rate)]
    assert rms(middle) > 0.02


def test_pinyin_phonemes_are_spoken_in_mandarin(joe):
    track = synthesize_script('<speak><phoneme alphabet="pinyin" ph="ni3 hao3">你好</phoneme></speak>', joe)
    assert [w.text for w in track.words] == ["你好"]
    assert rms(track.samples) > 0.02


@pytest.mark.parametrize(("kind", "fmt", "text", "spoken"), [
    ("cardinal", None, "1234", "one thousand two hundred and thirty-four"),
    ("digits", None, "2048", "two zero four eight"),
    ("characters", None, "AB1", "A B one"),
    ("date", "ymd", "2024-05-06", "May sixth, twenty twenty-four"),
    ("date", "dmy", "06/05/1999", "May sixth, nineteen ninety-nine"),
    ("telephone", None, "555-0199", "five five five, zero one nine nine"),
])
def test_say_as_reads_numbers_the_english_way(kind, fmt, text, spoken):
    assert say_as(kind, text, fmt) == spoken


def test_builtin_voices_resolve(joe):
    ids = [voice["asset_id"] for voice in BUILTIN_VOICES]
    assert "voice-en-us-joe" in ids and "voice-zh-cn-espeak" in ids
    assert len(set(ids)) == len(ids)
    assert all(voice_ref_for(asset_id) is not None for asset_id in ids)
    assert joe.model_path.is_file() and joe.config_path.is_file()
    assert voice_ref_for("voice-nobody") is None


def write_tone_wav(path, seconds: float, rate: int = 44100) -> None:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("pcm_s16le", rate=rate, layout="stereo")
        time = np.arange(int(seconds * rate)) / rate
        tone = (0.5 * np.sin(2 * np.pi * 440 * time) * 32767).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(np.repeat(tone[None, :], 2, axis=0).T.reshape(1, -1), format="s16",
                                           layout="stereo")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def test_it_loads_an_audio_file_with_actions(tmp_path):
    path = tmp_path / "voice.wav"
    write_tone_wav(path, 1.5)
    track = load_audio_track(path, [{"action_tag": "nod", "action_start_time": 1.0},
                                    {"action_tag": "WAVE_1", "action_name": "wave", "action_start_time": 0.25}])
    assert track.samples.dtype == np.float32 and track.samples.ndim == 1
    assert track.duration == pytest.approx(1.5, abs=0.01)
    assert rms(track.samples) == pytest.approx(0.5 / 2 ** 0.5, rel=0.05)
    assert [(a.time, a.name) for a in track.actions] == [(0.25, "wave"), (1.0, "nod")]
    assert track.phonemes == [] and track.words == []


def test_it_refuses_a_file_without_audio(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not audio at all")
    with pytest.raises((ValueError, av.error.FFmpegError)):
        load_audio_track(path, [])


def test_it_refuses_playlists_that_point_at_other_files(tmp_path):
    write_tone_wav(tmp_path / "inner.wav", 0.5)
    playlist = tmp_path / "list.m3u8"
    playlist.write_text("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:0.5,\ninner.wav\n#EXT-X-ENDLIST\n")
    with pytest.raises((ValueError, av.error.FFmpegError)):
        load_audio_track(playlist, [])


def test_strong_emphasis_is_slower_and_louder(joe):
    plain = synthesize_script("<speak>Absolutely wonderful.</speak>", joe)
    stressed = synthesize_script('<speak><emphasis level="strong">Absolutely wonderful.</emphasis></speak>', joe)
    assert stressed.duration > 1.1 * plain.duration
    # The emphasis gain (x1.4) meets the look-ahead limiter on the loudest syllables instead of clipping them:
    # at least 1 dB louder overall, and never past full scale.
    assert rms(stressed.samples) > 1.12 * rms(plain.samples)
    assert np.abs(stressed.samples).max() <= 1.0


@pytest.mark.parametrize(("asset_id", "text", "units"), [
    ("voice-ko-espeak", "안녕하세요", 5),
    ("voice-ja-espeak", "こんにちは", 5),
])
def test_korean_and_japanese_voices_speak(asset_id, text, units):
    track = synthesize_script(text, voice_ref_for(asset_id))
    assert track.duration > 0.4 and rms(track.samples) > 0.02
    assert len(track.words) == units and "".join(w.text for w in track.words) == text
