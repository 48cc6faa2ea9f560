"""The one rule for text a person types (names, labels, descriptions): the refusal names the field and the rule."""
from __future__ import annotations

import pytest

from composer.errors import InvalidInput
from composer.lib.inputs import optional_text, required_text


@pytest.mark.parametrize(("value", "message"), [
    (None, "asset_name: is required"),
    ("", "asset_name: must be text of 1-8 characters"),
    ("   ", "asset_name: must be text of 1-8 characters"),
    ("x" * 9, "asset_name: must be text of 1-8 characters"),
    (5, "asset_name: must be text of 1-8 characters"),
])
def test_required_text_refuses_missing_blank_long_and_non_text(value, message):
    with pytest.raises(InvalidInput) as caught:
        required_text(value, "asset_name", 8)
    assert caught.value.error_msg == message


def test_required_text_is_trimmed_and_the_message_can_say_what_it_is():
    assert required_text("  Spring  ", "asset_name", 8) == "Spring"
    assert required_text(" " + "x" * 8 + " ", "asset_name", 8) == "x" * 8
    with pytest.raises(InvalidInput, match=r'^label: the link\'s label must be text of 1-4 characters, such as "Mine"$'):
        required_text("", "label", 4, subject="the link's label", example="Mine")


def test_optional_text_keeps_what_was_sent_and_refuses_long_or_non_text():
    assert optional_text(None, "asset_description", 4) is None
    assert optional_text("", "asset_description", 4) == ""
    assert optional_text(" ab ", "asset_description", 4) == " ab "
    for value in ("x" * 5, ["x"]):
        with pytest.raises(InvalidInput, match=r"^asset_description: must be text of at most 4 characters$"):
            optional_text(value, "asset_description", 4)
