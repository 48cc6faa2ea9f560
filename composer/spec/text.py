"""Text that can be stored, spoken and drawn: no NUL characters and no lone UTF-16 surrogates.

JSON can carry both (as \\u0000 and \\ud800), but PostgreSQL cannot store a NUL, UTF-8 cannot encode a lone
surrogate, and neither can be spoken or drawn; every text field is held to this rule where it arrives.
"""
from __future__ import annotations

import re

UNUSABLE = re.compile("[\x00\ud800-\udfff]")


def first_unusable(value: str) -> tuple[int, str] | None:
    """(0-based index, description) of the first character that text cannot contain, or None."""
    found = UNUSABLE.search(value)
    if found is None:
        return None
    char = found.group()
    what = "a NUL character (U+0000)" if char == "\x00" else f"a lone UTF-16 surrogate (U+{ord(char):04X})"
    return found.start(), what


def text_problem(value: str) -> str | None:
    """Why `value` cannot be accepted as text, with the position (1-based), or None."""
    found = first_unusable(value)
    if found is None:
        return None
    index, what = found
    return f"contains {what} at character {index + 1}; text cannot contain it"
