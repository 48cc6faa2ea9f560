"""Property tests: whatever text arrives, the SSML checker answers with its own validation error or a result,
never with another exception (which the API would turn into a 500)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from composer.spec.ssml import (
    ATTRIBUTES,
    MAX_NESTING,
    SUPPORTED_TAGS,
    SsmlError,
    count_spoken_characters,
    parse_script_text,
)

CHECKS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TAGS = sorted(SUPPORTED_TAGS - {"speak"}) + ["b", "speak", "x:y"]
ATTRIBUTE_NAMES = sorted({name for names in ATTRIBUTES.values() for name in names}) + ["bogus"]
# Values that reach every branch of the attribute parsers: numbers of any size, units, names, junk.
NUMBER = st.one_of(st.integers(-10**6, 10**6).map(str), st.integers(10**4, 10**400).map(str),
                   st.floats(allow_nan=True).map(str), st.text("0123456789", min_size=1, max_size=400))
VALUES = st.one_of(
    st.tuples(st.sampled_from(["", "+", "-"]), NUMBER,
              st.sampled_from(["", "s", "ms", "%", "st", "dB", "db", "Hz"])).map("".join),
    st.sampled_from(["x-slow", "medium", "x-loud", "strong", "cardinal", "date", "ipa", "pinyin", "wave", "mdy"]),
    st.text(max_size=20),
)


def check(text: str) -> None:
    try:
        parse_script_text(text)
        count_spoken_characters(text)
    except SsmlError:
        pass


@st.composite
def elements(draw, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    names = draw(st.lists(st.sampled_from(ATTRIBUTE_NAMES), max_size=3, unique=True))
    attrs = "".join(f' {name}="{draw(VALUES).replace(chr(34), "")}"' for name in names)
    if depth > 4 or draw(st.booleans()):
        return f"<{tag}{attrs}/>"
    inner = draw(st.lists(st.one_of(st.text(max_size=12), elements(depth + 1)), max_size=4))
    return f"<{tag}{attrs}>{''.join(inner)}</{tag}>"


@CHECKS
@given(st.lists(st.one_of(elements(), st.text(max_size=20)), max_size=5))
def test_generated_documents_only_raise_the_validation_error(parts):
    check("<speak>" + "".join(parts) + "</speak>")


@settings(CHECKS, max_examples=1000)
@given(st.sampled_from(sorted((tag, name) for tag, names in ATTRIBUTES.items() for name in names)), VALUES)
@example(("prosody", "pitch"), "+100000st")
@example(("prosody", "volume"), "+99999dB")
def test_any_attribute_value_only_raises_the_validation_error(attribute, value):
    tag, name = attribute
    value = value.replace('"', "").replace("<", "").replace("&", "")
    check(f'<speak><{tag} {name}="{value}">12</{tag}></speak>')
    check(f'<speak><{tag} {name}="{value}"/></speak>')


@CHECKS
@given(st.text(max_size=200))
def test_garbage_after_speak_only_raises_the_validation_error(junk):
    check("<speak>" + junk)
    check(junk)


@CHECKS
@given(st.lists(st.integers(0, 0x10FFFF).map(chr), max_size=60).map("".join))
def test_arbitrary_code_points_only_raise_the_validation_error(text):
    check("<speak>" + text + "</speak>")
    check("<speak><prosody rate='" + text + "'>a</prosody></speak>")


@CHECKS
@given(st.integers(1, 3000), st.sampled_from(["prosody", "emphasis", "p", "s", "say-as", "bogus"]))
def test_any_nesting_depth_only_raises_the_validation_error(depth, tag):
    check("<speak>" + f"<{tag}>" * depth + "hi" + f"</{tag}>" * depth + "</speak>")


def test_deep_nesting_is_refused_naming_the_limit_and_where():
    text = "<speak>" + "<prosody rate='1'>" * 1500 + "hi" + "</prosody>" * 1500 + "</speak>"
    with pytest.raises(SsmlError) as info:
        parse_script_text(text)
    assert f"at most {MAX_NESTING}" in info.value.message
    assert info.value.line == 1 and info.value.column > 1


def test_nesting_up_to_the_limit_is_accepted():
    depth = MAX_NESTING - 1  # <speak> is the first level
    text = "<speak>" + "<emphasis>" * depth + "hi" + "</emphasis>" * depth + "</speak>"
    assert count_spoken_characters(text) == 2
