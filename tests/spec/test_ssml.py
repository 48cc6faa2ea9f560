from __future__ import annotations

import pytest

from composer.spec.ssml import (
    SUPPORTED_TAGS,
    Action,
    Break,
    Emphasis,
    Paragraph,
    Phoneme,
    Prosody,
    SayAs,
    SsmlError,
    Sub,
    Text,
    count_spoken_characters,
    is_ssml,
    parse_script_text,
)


def parse_error(text: str) -> SsmlError:
    with pytest.raises(SsmlError) as info:
        parse_script_text(text)
    return info.value


def test_plain_text_is_never_parsed_as_xml():
    text = "Fish & chips <b>not a tag</b> &nbsp;"
    assert not is_ssml(text)
    assert parse_script_text(text) == [Text(text)]
    assert count_spoken_characters(text) == len(text)


def test_it_recognises_ssml_after_leading_whitespace():
    assert is_ssml("  \n<speak>hi</speak>")
    assert not is_ssml("speak <speak>")


def test_it_parses_every_supported_tag_into_nodes():
    text = (
        '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">'
        'Hello <break time="500ms"/>'
        '<prosody rate="120%" pitch="+2st" volume="+6dB">fast <emphasis level="strong">now</emphasis></prosody>'
        '<say-as interpret-as="date" format="ymd">2024-05-06</say-as>'
        '<sub alias="World Wide Web">WWW</sub>'
        '<phoneme alphabet="ipa" ph="təˈmɑːtoʊ">tomato</phoneme>'
        '<insert-action name="wave"/>'
        '<p><s>One.</s></p>'
        '</speak>'
    )
    nodes = parse_script_text(text)
    assert nodes[0] == Text("Hello ")
    assert nodes[1] == Break(0.5)
    prosody = nodes[2]
    assert isinstance(prosody, Prosody)
    assert prosody.rate == pytest.approx(1.2)
    assert prosody.pitch == pytest.approx(2 ** (2 / 12))
    assert prosody.volume == pytest.approx(10 ** (6 / 20))
    assert prosody.children == (Text("fast "), Emphasis("strong", (Text("now"),)))
    assert nodes[3:] == [
        SayAs("date", "ymd", "2024-05-06"),
        Sub("World Wide Web", "WWW"),
        Phoneme("ipa", "təˈmɑːtoʊ", "tomato"),
        Action("wave"),
        Paragraph("p", (Paragraph("s", (Text("One."),)),)),
    ]
    assert SUPPORTED_TAGS == {"speak", "break", "prosody", "say-as", "sub", "phoneme", "emphasis",
                              "insert-action", "p", "s"}


@pytest.mark.parametrize(("attribute", "seconds"), [
    ('time="2s"', 2.0), ('time="1.5s"', 1.5), ('time="500ms"', 0.5), ('time="10s"', 10.0),
    ('strength="none"', 0.0), ('strength="x-strong"', 1.0), ("", 0.5),
])
def test_it_reads_break_durations(attribute, seconds):
    assert parse_script_text(f"<speak><break {attribute}/></speak>") == [Break(seconds)]


@pytest.mark.parametrize(("rate", "expected"), [
    ("1.2", 1.2), ("120%", 1.2), ("+50%", 1.5), ("-50%", 0.5), ("x-slow", 0.5), ("fast", 1.25), ("2", 2.0),
])
def test_it_reads_prosody_rates(rate, expected):
    (node,) = parse_script_text(f'<speak><prosody rate="{rate}">x</prosody></speak>')
    assert node.rate == pytest.approx(expected)
    assert (node.pitch, node.volume) == (1.0, 1.0)


@pytest.mark.parametrize(("pitch", "expected"), [("-10%", 0.9), ("high", 1.1), ("+12st", 2.0), ("-12st", 0.5)])
def test_it_reads_prosody_pitches(pitch, expected):
    (node,) = parse_script_text(f'<speak><prosody pitch="{pitch}">x</prosody></speak>')
    assert node.pitch == pytest.approx(expected)


@pytest.mark.parametrize(("volume", "expected"), [("loud", 1.4), ("-6dB", 0.501), ("silent", 0.0), ("80%", 0.8)])
def test_it_reads_prosody_volumes(volume, expected):
    (node,) = parse_script_text(f'<speak><prosody volume="{volume}">x</prosody></speak>')
    assert node.volume == pytest.approx(expected, abs=1e-3)


def test_it_reports_unknown_tags_with_position_and_the_supported_list():
    error = parse_error("<speak>\n  Hello <audio src='x.wav'/>\n</speak>")
    assert (error.line, error.column) == (2, 9)
    assert "<audio>" in error.message
    assert "insert-action" in error.message and "say-as" in error.message


@pytest.mark.parametrize(("text", "line", "column", "words"), [
    ('<speak>hi\n<break time="11s"/></speak>', 2, 1, "at most 10 s"),
    ('<speak><break time="2 minutes"/></speak>', 1, 8, "2 minutes"),
    ('<speak><break strength="huge"/></speak>', 1, 8, "huge"),
    ('<speak><prosody rate="3">x</prosody></speak>', 1, 8, "between 0.5 and 2"),
    ('<speak><prosody rate="20%">x</prosody></speak>', 1, 8, "between 0.5 and 2"),
    ('<speak><prosody pitch="+20Hz">x</prosody></speak>', 1, 8, "+20Hz"),
    ('<speak><prosody volume="deafening">x</prosody></speak>', 1, 8, "deafening"),
    ('<speak> <say-as interpret-as="ordinal">3</say-as></speak>', 1, 9, "ordinal"),
    ('<speak><say-as interpret-as="date" format="qq">1</say-as></speak>', 1, 8, "qq"),
    ('<speak><sub>WWW</sub></speak>', 1, 8, "alias"),
    ('<speak><phoneme alphabet="sampa" ph="x">a</phoneme></speak>', 1, 8, "sampa"),
    ('<speak><emphasis level="loud">a</emphasis></speak>', 1, 8, "loud"),
    ('<speak><insert-action/></speak>', 1, 8, "name"),
    ('<speak><insert-action name="wave">hi</insert-action></speak>', 1, 8, "empty"),
    ('<speak><break time="1s"><s>x</s></break></speak>', 1, 25, "empty"),
    ('<speak><sub alias="a"><s>x</s></sub></speak>', 1, 23, "only text"),
    ('<speak><break time="1s" speed="2"/></speak>', 1, 8, "speed"),
    ('<speak mode="x">a</speak>', 1, 1, "mode"),
    ('<speak><speak>a</speak></speak>', 1, 8, "nested"),
    ('<speak>a</speak><speak>b</speak>', 1, 17, "not well-formed"),
    ('<speak>unclosed', 1, 16, "not well-formed"),
    ('<speak>a &nbsp; b</speak>', 1, 10, "not well-formed"),
])
def test_it_rejects_bad_ssml_with_line_and_column(text, line, column, words):
    error = parse_error(text)
    assert (error.line, error.column) == (line, column), error.message
    assert words in error.message
    assert str(error).startswith(f"line {line}, column {column}: ")


@pytest.mark.parametrize("text", [
    '<!DOCTYPE speak [<!ENTITY name "expanded">]><speak>&name;</speak>',
    '<!DOCTYPE speak SYSTEM "http://example.com/x.dtd"><speak>x</speak>',
    '<?xml version="1.0"?>\n<!DOCTYPE speak><speak>x</speak>',
])
def test_it_refuses_dtds_and_entities(text):
    error = parse_error(text)
    assert "not allowed" in error.message


def test_it_accepts_an_xml_declaration():
    assert parse_script_text('<?xml version="1.0" encoding="UTF-8"?><speak>hi</speak>') == [Text("hi")]


def test_it_counts_only_the_typed_text_not_tags_or_aliases():
    text = ('<speak>Hi <break time="1s"/><sub alias="World Wide Web">WWW</sub> '
            '<prosody rate="fast">go</prosody><insert-action name="wave"/></speak>')
    assert count_spoken_characters(text) == len("Hi ") + len("WWW") + len(" ") + len("go")


def test_it_counts_escaped_characters_once():
    assert count_spoken_characters("<speak>a &amp; b</speak>") == len("a & b")
