"""Subtitles a viewer can read, measured on the output: contrast of burned-in text, line and cue limits in the
SRT/VTT files, CJK breaks at word boundaries, cue starts against the speech onsets in the decoded audio, and the
files carrying the lines that are drawn."""
from __future__ import annotations

import re

import av
import numpy as np
import pytest
from PIL import Image, ImageFilter

from composer.render import render
from composer.render.subtitles import CaptionPainter, Cue
from composer.spec import SpecError
from tests.support.render import spec

LONG_EN = ("We will meet the whole marketing team tomorrow to plan the launch of our new product with the team. "
           "Then we celebrate together, because the launch went well and everyone on the team worked hard for "
           "it over many long weeks.")
LONG_ZH = "我们明天会见市场团队，讨论新产品发布之前的所有准备工作。然后我们一起庆祝，因为大家都很努力。"
LONG_JA = "わたしたちはあしたマーケティングチームとあいます。それからいっしょにおいわいをします。"
CLOSING = set("、。，．！？」』）》〉】〕…：；")
OPENING = set("「『（《〈【〔")
VOICES = {"en": "voice-en-us-joe", "zh": "voice-zh-cn-espeak", "ja": "voice-ja-espeak"}


def tiny(text, language="en", **kw):
    """A 64x36 crop of the 1920x1080 layout: subtitle lines are laid out for the layout, so the files are real."""
    body = spec(text, clip_mode="CROP", width=64, height=36, crop=(0, 0), subtitles=True, **kw)
    body["voice_config"]["voice_asset_id"] = VOICES[language]
    return body


def segment_cjk(text: str) -> list[str]:
    """Words as the libraries see them: BudouX phrases for Japanese (kana), jieba words for Chinese."""
    if re.search("[\u3040-\u30ff]", text):
        import budoux

        return budoux.load_default_japanese_parser().parse(text)
    import jieba

    return list(jieba.cut(text))


def cues_of(path) -> list[tuple[float, float, list[str]]]:
    """(start, end, lines) of every cue in an SRT or VTT file."""
    cues = []
    for block in re.split(r"\n\n+", path.read_text(encoding="utf-8").strip()):
        lines = block.splitlines()
        if not any("-->" in line for line in lines):
            continue   # the WEBVTT header
        at = next(i for i, line in enumerate(lines) if "-->" in line)
        start, end = (stamp(part.strip()) for part in lines[at].split("-->"))
        cues.append((start, end, lines[at + 1:]))
    return cues


def stamp(text: str) -> float:
    hours, minutes, rest = ([0] + text.replace(",", ".").split(":"))[-3:]
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, request):
    """One render per language, shared by the file checks; what the painter drew is recorded."""
    from tests.support.render import FileResolver

    drawn: dict[str, list[list[str]]] = {}
    original = getattr(CaptionPainter, "draw", None)
    out = {}
    monkey = pytest.MonkeyPatch()
    for language, text in (("en", LONG_EN), ("zh", LONG_ZH), ("ja", LONG_JA)):
        record: list[list[str]] = []

        def draw(self, lines, lit=None, record=record):
            record.append(list(lines))
            return original(self, lines, lit)

        monkey.setattr(CaptionPainter, "draw", draw, raising=False)
        out[language] = render(tiny(text, language), FileResolver(), tmp_path_factory.mktemp(language) / "v.mp4")
        drawn[language] = record
    monkey.undo()
    return out, drawn


@pytest.mark.parametrize("language, limit", [("en", 42), ("zh", 16), ("ja", 16)])
def test_it_keeps_lines_short_and_cues_to_two_lines(rendered, language, limit):
    result = rendered[0][language]
    for path in (result.subtitles_srt, result.subtitles_vtt):
        cues = cues_of(path)
        assert len(cues) >= 2
        for _, _, lines in cues:
            assert 1 <= len(lines) <= 2
            assert all(len(line) <= limit for line in lines), lines


@pytest.mark.parametrize("language", ["en", "zh", "ja"])
def test_it_shows_cues_long_enough_and_never_one_word_alone(rendered, language):
    cues = cues_of(rendered[0][language].subtitles_srt)
    for (start, end, lines), following in zip(cues, cues[1:] + [None], strict=True):
        text = "".join(lines)
        if following is not None:
            assert end - start >= 0.95, (start, end, lines)
            assert end <= following[0] + 1e-3
            words = " ".join(lines).split() if language == "en" else segment_cjk(text)
            assert len(words) > 1, lines


@pytest.mark.parametrize("language", ["zh", "ja"])
def test_cjk_lines_break_between_words_and_never_start_with_closing_punctuation(rendered, language):
    cues = cues_of(rendered[0][language].subtitles_srt)
    lines = [line for _, _, cue_lines in cues for line in cue_lines]
    text = "".join(lines)
    assert text == (LONG_ZH if language == "zh" else LONG_JA)
    boundaries, position = {0}, 0
    for word in segment_cjk(text):
        position += len(word)
        boundaries.add(position)
    position = 0
    for line in lines:
        assert position in boundaries, (line, lines)
        assert line[0] not in CLOSING and line[-1] not in OPENING
        position += len(line)


@pytest.mark.parametrize("language", ["en", "zh", "ja"])
def test_the_files_carry_the_lines_that_are_drawn(rendered, language):
    result, drawn = rendered[0][language], rendered[1]
    srt = [lines for _, _, lines in cues_of(result.subtitles_srt)]
    vtt = [lines for _, _, lines in cues_of(result.subtitles_vtt)]
    assert srt == vtt
    shown = []
    for lines in drawn[language]:
        if not shown or shown[-1] != lines:
            shown.append(lines)
    assert shown == srt


def speech_onsets(path) -> list[float]:
    """Where sound starts after each silence of at least 0.6 s in the decoded soundtrack (10 ms windows)."""
    with av.open(str(path)) as container:
        rate = container.streams.audio[0].rate
        samples = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
    mono = samples[::2] if samples.size % 2 == 0 else samples   # interleaved stereo
    window = rate // 100
    energy = np.sqrt(np.mean(mono[: mono.size // window * window].reshape(-1, window) ** 2, axis=1))
    loud = energy > energy.max() * 10 ** (-35 / 20)
    onsets, quiet = [], 60
    for index, is_loud in enumerate(loud):
        if is_loud and quiet >= 60:
            onsets.append(index / 100)
        quiet = 0 if is_loud else quiet + 1
    return onsets


@pytest.mark.parametrize("language, text", [
    ("en", '<speak>Good morning to all of you. <break time="1500ms"/> Here is the plan for today.</speak>'),
    ("zh", '<speak>大家早上好。<break time="1500ms"/>这是今天的计划。</speak>'),
    ("ja", '<speak>今日はいい天気です。<break time="1500ms"/>明日は雨が降るでしょう。</speak>'),
])
def test_every_sentence_appears_with_its_first_sound(tmp_path, resolver, language, text):
    result = render(tiny(text, language), resolver, tmp_path / "t.mp4")
    onsets = speech_onsets(result.output)
    starts = [start for start, _, _ in cues_of(result.subtitles_srt)]
    assert len(onsets) == 2, onsets
    for onset in onsets:
        nearest = min(starts, key=lambda start: abs(start - onset))
        assert abs(nearest - onset) <= 0.1, (onset, starts)


def luminance(pixels: np.ndarray) -> np.ndarray:
    c = pixels.astype(float) / 255
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return c @ np.array([0.2126, 0.7152, 0.0722])


def glyph_contrast(frame: np.ndarray) -> float:
    """Contrast between the white glyph pixels and the pixels just around them (2-4 px out)."""
    glyphs = (frame.min(axis=2) > 235)
    mask = Image.fromarray((glyphs * 255).astype(np.uint8))
    near = np.array(mask.filter(ImageFilter.MaxFilter(9))) > 0
    edge = np.array(mask.filter(ImageFilter.MaxFilter(3))) > 0
    ring = near & ~edge
    assert glyphs.sum() > 200 and ring.sum() > 200
    glyph = np.median(luminance(frame[glyphs]))
    around = np.median(luminance(frame[ring]))
    return (max(glyph, around) + 0.05) / (min(glyph, around) + 0.05)


@pytest.mark.parametrize("background", ["#DDE6F2", "#F7F7F2", "#20242C"])
def test_burned_in_text_stands_out_from_light_and_dark_pictures(tmp_path, resolver, background):
    body = spec("Hello there.", clip_mode="CROP", width=480, height=140, crop=(720, 900), subtitles=True,
                background=[{"background_type": "COLOR", "background_color_config": background}])
    result = render(body, resolver, tmp_path / "c.mp4")
    with av.open(str(result.output)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    frame = frames[len(frames) // 2]
    Image.fromarray(frame).save(tmp_path / "frame.png")
    assert glyph_contrast(frame) >= 4.5


def test_word_highlight_draws_the_spoken_word_in_another_colour():
    cue = Cue(0.0, 2.0, "Hello there\nfriends", ((0.0, 0.5, 0, 0, 5), (0.5, 1.0, 0, 6, 11), (1.0, 2.0, 1, 0, 7)))

    def lit_pixels(config, t):
        painter = CaptionPainter(config, (1920, 1080), lambda rect: rect)
        sprite, _ = painter.sprite_at(cue, t)
        rgba = np.array(sprite)
        opaque = rgba[..., 3] == 255
        yellow = (rgba[..., 0] > 200) & (rgba[..., 1] > 150) & (rgba[..., 2] < 120) & opaque
        return yellow, rgba

    plain, _ = lit_pixels({"font_size": 54}, 0.7)
    lit, rgba = lit_pixels({"font_size": 54, "word_highlight": True}, 0.7)
    assert plain.sum() == 0 and lit.sum() > 300
    columns = np.nonzero(lit.any(axis=0))[0]
    first_line = np.nonzero((rgba[..., 0] > 235).any(axis=0) | lit.any(axis=0))[0]
    # "there" is the second half of the first line.
    assert columns.min() > (first_line.min() + first_line.max()) / 2 - 20


def test_word_highlight_is_a_documented_style_that_defaults_to_off():
    from composer.spec import validate_create_body
    from composer.spec.tables import SUBTITLE_CONFIG

    assert spec("Hi.")["video_config"]["subtitle_config"]["word_highlight"] is False
    assert "Composer" in SUBTITLE_CONFIG.fields["word_highlight"].description
    body = {"model_asset_id": "avatar-maya", "voice_config": {"voice_asset_id": "voice-en-us-joe"},
            "video_config": {"codec": "H264", "bitrate": 1000, "width": 1920, "height": 1080,
                             "subtitle_config": {"word_highlight": "yes"}},
            "shoot_scripts": [{"sequence_no": 0, "shoot_script": {"text_config": {"text": "Hi."}}}],
            "output_asset_config": {"asset_name": "t"}}
    with pytest.raises(SpecError) as error:
        validate_create_body(body)
    assert "video_config.subtitle_config.word_highlight" in str(error.value)
    assert "true or false" in str(error.value)


@pytest.mark.parametrize("text", [
    "こんにちは。春の新しいコレクションが届きました。東京駅の店舗でぜひご覧ください。気軽に話しかけてください。",
    "大家好，我们的春季新品已经上市，欢迎大家来店里看看。市场团队在发布之前需要审核视频。",
])
def test_the_subtitle_font_has_every_common_japanese_and_chinese_character(text):
    from fontTools.ttLib import TTFont

    from composer.render.text import font_path

    for weight in (None, "Bold"):
        cmap = TTFont(str(font_path(weight))).getBestCmap()
        missing = [c for c in text if ord(c) not in cmap]
        assert not missing, f"{font_path(weight).name} lacks {''.join(missing)}"


def test_punctuation_after_a_latin_name_in_chinese_never_starts_a_line():
    """"大家好，我是Maya。我们的…": the full stop stays with "Maya" however the line breaks fall."""
    from composer.render.speech import TimedWord
    from composer.render.subtitles import build_cues

    pieces = ["大", "家", "好，", "我", "是", "Maya", "。我", "们", "的", "春", "季", "新", "品", "已", "经", "上", "市，",
              "欢", "迎", "大", "家", "来", "店", "里", "看", "看。"]
    words = [TimedWord(i * 0.25, i * 0.25 + 0.22, text) for i, text in enumerate(pieces)]
    cues = build_cues(words, font_size=48, canvas_width=1080)
    lines = [line for cue in cues for line in cue.text.split("\n")]
    assert "".join(lines) == "".join(pieces)
    assert not any(line[0] in "。，、" for line in lines), lines
    assert any(line.endswith("Maya。") for line in lines) or any("Maya。" in line for line in lines)


def test_cues_made_as_the_speech_arrives_are_the_cues_of_the_whole():
    from composer.render.speech import voice_ref_for
    from composer.render.speech.realize import speak_pieces
    from composer.render.subtitles import CueBuilder, build_cues
    from composer.spec.ssml import parse_script_text

    text = ('<speak>Welcome to the studio, where a script becomes a video. Pick a voice and a presenter. '
            '<break time="1500ms"/> Press render and watch it come together. <break time="6s"/> Done.</speak>')
    pieces = list(speak_pieces(parse_script_text(text), voice_ref_for("voice-en-us-joe"), speed=100, pitch=100,
                               volume=140))
    until = pieces[-1].end + 0.3
    builder = CueBuilder(font_size=54, canvas_width=1920)
    early = None
    for piece in pieces:
        builder.add(piece.words, piece.end)
        if early is None and builder.cues:
            early = list(builder.cues)
    cues = builder.finish(until)
    assert early and len(early) < len(cues) and cues[:len(early)] == early
    assert cues == build_cues([w for piece in pieces for w in piece.words], font_size=54, canvas_width=1920,
                              until=until)


def test_cues_of_a_script_without_pauses_settle_sentence_by_sentence():
    """Without a long silence the words are still cut into blocks where a sentence ends (once a block has run
    BLOCK_SECONDS), so cues are final long before the speech ends; the cues are those of the words all at once."""
    from composer.render.speech.track import TimedWord
    from composer.render.subtitles import BLOCK_SECONDS, CueBuilder, build_cues

    sentences = ["Write what you want to say and pick a voice for it.", "Choose a presenter and a background.",
                 "Place your logo and a title where they belong.", "Ask a teammate to approve the script.",
                 "Press render and watch it come together."] * 2
    words, t = [], 0.0
    for sentence in sentences:
        for text in sentence.split():
            words.append(TimedWord(t, t + 0.3, text))
            t += 0.35
        t += 0.3                          # a sentence's pause: far shorter than PAUSE_SECONDS
    builder = CueBuilder(font_size=54, canvas_width=1920)
    settled = []
    for word in words:
        builder.add([word], word.end)
        settled.append(builder.settled)
    cues = builder.finish(t)
    assert cues == build_cues(words, font_size=54, canvas_width=1920, until=t)
    # Settled by the time a third of the words are known, and at a sentence's start.
    assert settled[len(words) // 3] >= BLOCK_SECONDS
    assert all(any(word.start == point for word in words) for point in set(settled[1:-1]) - {0.0})


def test_an_abbreviation_does_not_end_a_block_of_cues():
    """A long block ends at a sentence's end, not at a word like "Dr." whose full stop ends no sentence."""
    from composer.render.speech.track import TimedWord
    from composer.render.subtitles import BLOCK_SECONDS, CueBuilder

    texts = "Next week our team sits down with the engineers to plan the launch with Dr. Smith and her group.".split()
    words = [TimedWord(i * 0.4, i * 0.4 + 0.35, text) for i, text in enumerate(texts)]
    smith = texts.index("Smith")
    assert words[smith - 1].end - words[0].start >= BLOCK_SECONDS
    builder = CueBuilder(font_size=54, canvas_width=1920)
    builder.add(words[:smith + 1], words[smith].end)
    assert builder.settled == words[0].start
