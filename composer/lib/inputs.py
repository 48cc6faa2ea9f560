"""Text a request carries (names, labels, descriptions, notes): one rule for every room, so the refusals read the
same wherever a person types. The message names the field and the rule, e.g. `asset_name: must be text of 1-256
characters`."""
from __future__ import annotations

from typing import Any

from composer.errors import InvalidInput


def required_text(value: Any, field: str, limit: int, *, subject: str = "", example: str = "") -> str:
    """Text a person must give (a name, a label): 1-`limit` characters once trimmed; returned trimmed.

    `subject` says what it is in the message ("the video's name"), `example` shows a good value."""
    if value is None:
        raise InvalidInput(f"{field}: is required")
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > limit:
        said = f"{subject} must" if subject else "must"
        such_as = f', such as "{example}"' if example else ""
        raise InvalidInput(f"{field}: {said} be text of 1-{limit} characters{such_as}")
    return value.strip()


def optional_text(value: Any, field: str, limit: int, *, subject: str = "") -> str | None:
    """Free text that may be left out or empty (a description, a note): at most `limit` characters, kept as sent;
    None when absent."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        said = f"{subject} must" if subject else "must"
        raise InvalidInput(f"{field}: {said} be text of at most {limit} characters")
    return value
