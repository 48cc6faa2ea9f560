"""Tags (folders) that organise scripts and videos: one rule for both, so the refusals read the same."""
from __future__ import annotations

from typing import Any

from composer.errors import InvalidInput

MAX_TAGS = 10
MAX_TAG_LENGTH = 32


def clean_tags(value: Any, *, field: str = "tags") -> list[str]:
    """The tags a body asks for: a list of 1-32 character texts, at most 10, duplicates (ignoring case) and
    surrounding spaces dropped, first spelling kept. Anything else is refused naming the field and the rule."""
    if not isinstance(value, list):
        raise InvalidInput(f"{field}: must be a list of texts, such as [\"Spring sale\", \"Social\"]")
    cleaned: dict[str, str] = {}
    for index, tag in enumerate(value):
        if not isinstance(tag, str):
            raise InvalidInput(f"{field}[{index}]: a tag must be text")
        tag = " ".join(tag.split())
        if not tag:
            raise InvalidInput(f"{field}[{index}]: a tag cannot be empty")
        if len(tag) > MAX_TAG_LENGTH:
            raise InvalidInput(f"{field}[{index}]: a tag has at most {MAX_TAG_LENGTH} characters "
                               f"({tag[:40]!r} has {len(tag)})")
        cleaned.setdefault(tag.casefold(), tag)
    if len(cleaned) > MAX_TAGS:
        raise InvalidInput(f"{field}: at most {MAX_TAGS} tags (got {len(cleaned)})")
    return list(cleaned.values())


def tag_key(tag: str) -> str:
    """What a tag is matched by: the same words whatever their case or spacing."""
    return " ".join(tag.split()).casefold()
