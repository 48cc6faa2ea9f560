from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from composer.render.lipsync import (
    FRAME,
    MOUTH_SHAPES,
    MouthKey,
    mouth_timeline_from_audio,
    mouth_timeline_from_phonemes,
    shape_at,
)
from composer.render.speech import TimedPhoneme

OPEN_SHAPES = {"C", "D", "E", "F"}


def timed(*items: tuple[str, float]) -> list[TimedPhoneme]:
    """Phonemes back to back from t=0, each (symbol, seconds)."""
    out, t = [], 0.0
    for symbol, seconds in items:
        out.append(TimedPhoneme(t, t + seconds, symbol))
        t += seconds
    return out


def assert_covers(timeline: list[MouthKey], duration: float) -> None:
    assert timeline[0].start == pytest.approx(0.0)
    assert timeline[-1].end == pytest.approx(duration)
    assert all(a.end == pytest.approx(b.start) for a, b in pairwise(timeline))
    assert all(key.shape in MOUTH_SHAPES for key in timeline)


@pytest.mark.parametrize("consonant", ["p", "b", "m"])
def test_lip_closing_consonants_close_the_mouth(consonant):
    phonemes = timed(("ɑ", 0.2), (consonant, 0.1), ("ɑ", 0.2))
    timeline = mouth_timeline_from_phonemes(phonemes, 0.5)
    assert_covers(timeline, 0.5)
    assert shape_at(timeline, 0.25) == "A"
    assert shape_at(timeline, 0.1) == "D" and shape_at(timeline, 0.4) == "D"


@pytest.mark.parametrize(("vowel", "shape"), [("ɑ", "D"), ("æ", "C"), ("ɛ", "C"), ("ɔ", "E"), ("ɜː", "E"),
                                              ("u", "F"), ("oʊ", "F")])
def test_vowels_open_the_mouth(vowel, shape):
    timeline = mouth_timeline_from_phonemes(timed(("s", 0.1), (vowel, 0.2), ("t", 0.1)), 0.4)
    assert shape_at(timeline, 0.2) == shape
    assert shape_at(timeline, 0.05) == "B"


@pytest.mark.parametrize(("consonant", "shape"), [("f", "G"), ("v", "G"), ("l", "H"), ("k", "B"), ("tɕ", "B")])
def test_consonants_have_their_shapes(consonant, shape):
    timeline = mouth_timeline_from_phonemes(timed(("ə", 0.2), (consonant, 0.1), ("ə", 0.2)), 0.5)
    assert shape_at(timeline, 0.25) == shape


def test_pauses_rest_and_short_gaps_hold():
    phonemes = timed(("ɑ", 0.2), (",", 0.08), (" ", 0.08), ("ɑ", 0.2), (" ", 0.05), ("ɛ", 0.2))
    timeline = mouth_timeline_from_phonemes(phonemes, 1.2)
    assert shape_at(timeline, 0.25) == "X"          # a comma and a space together: 160 ms
    assert shape_at(timeline, 0.58) == "D"          # 50 ms between words: the mouth keeps going
    assert shape_at(timeline, 1.0) == "X"           # after the speech
    assert shape_at(timeline, -1) == "X" and shape_at(timeline, 5) == "X"


def test_silence_before_the_first_phoneme_rests():
    phonemes = [TimedPhoneme(0.5, 0.7, "ɑ")]
    timeline = mouth_timeline_from_phonemes(phonemes, 1.0)
    assert_covers(timeline, 1.0)
    assert shape_at(timeline, 0.2) == "X" and shape_at(timeline, 0.6) == "D"


def test_it_drops_flicker_but_keeps_closed_lips_visible():
    # 20 ms phonemes would flicker at 25 fps; the 15 ms "b" must still show on a frame.
    phonemes = timed(("ɑ", 0.3), ("ɛ", 0.02), ("ɑ", 0.3), ("b", 0.015), ("ɑ", 0.3))
    timeline = mouth_timeline_from_phonemes(phonemes, 0.935)
    assert_covers(timeline, 0.935)
    # Wide open to closed and back passes through one frame of C each way (an in-between, not a blend).
    assert [key.shape for key in timeline] == ["D", "C", "A", "C", "D"]
    assert all(key.end - key.start >= 2 * FRAME - 1e-9 for key in timeline if key.shape in ("D", "X"))
    assert all(key.end - key.start >= FRAME - 1e-9 for key in timeline)
    closed = timeline[2]
    assert closed.end - closed.start >= FRAME - 1e-9


def test_audio_timeline_rests_on_silence_and_opens_on_sound():
    rate = 16000
    silence = np.zeros(rate // 2, np.float32)
    time = np.arange(rate // 2) / rate
    tone = (0.5 * np.sin(2 * np.pi * 220 * time)).astype(np.float32)
    noise = np.random.default_rng(7).uniform(-0.5, 0.5, rate // 2).astype(np.float32)
    samples = np.concatenate([silence, tone, silence, noise, silence])
    timeline = mouth_timeline_from_audio(samples, rate)
    assert_covers(timeline, samples.size / rate)
    for t in (0.2, 1.2, 2.3):
        assert shape_at(timeline, t) == "X"
    assert shape_at(timeline, 0.75) in OPEN_SHAPES
    assert shape_at(timeline, 1.75) in OPEN_SHAPES
    assert timeline == mouth_timeline_from_audio(samples, rate)


def test_audio_timeline_of_pure_silence_is_rest():
    timeline = mouth_timeline_from_audio(np.zeros(8000, np.float32), 16000)
    assert {key.shape for key in timeline} == {"X"}
    assert mouth_timeline_from_audio(np.zeros(10, np.float32), 16000)[0].shape == "X"


def test_speech_audio_moves_the_mouth():
    from composer.render.speech import synthesize_script, voice_ref_for

    track = synthesize_script("Bob made a big map, then went home.", voice_ref_for("voice-en-us-joe"))
    from_phonemes = mouth_timeline_from_phonemes(track.phonemes, track.duration)
    from_audio = mouth_timeline_from_audio(track.samples, track.sample_rate)
    for timeline in (from_phonemes, from_audio):
        assert_covers(timeline, track.duration)
        shapes = {key.shape for key in timeline}
        assert "A" in shapes and shapes & OPEN_SHAPES
        assert timeline[-1].shape == "X"
    frames = np.arange(0, track.duration, FRAME)
    agree = np.mean([(shape_at(from_phonemes, t) == "X") == (shape_at(from_audio, t) == "X") for t in frames])
    assert agree > 0.75


def test_the_mouth_of_speech_made_piece_by_piece_is_the_mouth_of_the_whole():
    from composer.render.lipsync import MouthTimeline, shape_at
    from composer.render.speech import voice_ref_for
    from composer.render.speech.realize import speak_pieces
    from composer.spec.ssml import parse_script_text

    text = ("Bob made a big map. Then he went home, ate a pear and slept. The next day was bright. "
            "He woke, walked to the harbour and watched the boats. Nobody came.")
    pieces = list(speak_pieces(parse_script_text(text), voice_ref_for("voice-en-us-joe"), speed=100, pitch=100,
                               volume=140))
    assert len(pieces) >= 3
    end = pieces[-1].end
    whole = mouth_timeline_from_phonemes([p for piece in pieces for p in piece.phonemes], end)
    timeline = MouthTimeline()
    for piece in pieces:
        timeline.add(piece.phonemes, piece.end)
        assert all(key.end <= timeline.settled + 1e-9 for key in timeline.keys)
    assert 0 < timeline.settled < end
    timeline.finish(end)
    frames = [i / 25 for i in range(int(end * 25))]
    assert [shape_at(timeline.keys, t) for t in frames] == [shape_at(whole, t) for t in frames]


SOUNDS = list("pbmfvlwuoɔɑaeɪitdksnh") + ["tʃ", "aɪ"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.sampled_from(SOUNDS + [" ", " ", ","]), st.integers(1, 12), st.integers(0, 4)),
                min_size=1, max_size=40),
       st.lists(st.integers(1, 40), max_size=8))
def test_the_mouth_settled_piece_by_piece_is_the_mouth_of_the_whole_for_any_timing(items, cuts):
    """Any sounds, pauses and untimed gaps (lengths in hundredths of a second), given in pieces cut anywhere: the
    mouth is the same frame by frame as when it is worked out all at once, and no key is given out past `settled`."""
    from composer.render.lipsync import MouthTimeline, mouth_timeline_from_phonemes, shape_at

    phonemes, t = [], 0.0
    for symbol, length, gap in items:
        t += gap / 100
        phonemes.append(TimedPhoneme(round(t, 2), round(t + length / 100, 2), symbol))
        t += length / 100
    end = t + 0.3
    whole = mouth_timeline_from_phonemes(phonemes, end)
    timeline = MouthTimeline()
    edges = sorted({c for c in cuts if c < len(phonemes)}) + [len(phonemes)]
    first = 0
    for edge in edges:
        piece = phonemes[first:edge]
        first = edge
        timeline.add(piece, piece[-1].end if piece else 0.0)
        assert all(key.end <= timeline.settled + 1e-9 for key in timeline.keys)
    timeline.finish(end)
    frames = [i / 25 for i in range(int(end * 25))]
    assert [shape_at(timeline.keys, f) for f in frames] == [shape_at(whole, f) for f in frames]
