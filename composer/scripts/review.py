"""Automatic content review: the project's word list against everything a video says or shows as text."""
from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from typing import Any

TAG_RE = re.compile(r"<[^>]*>")
# SSML <sub alias="..."> speaks its alias, so attribute values that are spoken are reviewed too.
ALIAS_RE = re.compile(r"""\balias\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def reviewed_texts(composition: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field path, text) for each scene's script text (SSML as spoken) and each text layer (decoded)."""
    for i, item in enumerate(composition.get("shoot_scripts") or []):
        scene = (item or {}).get("shoot_script") or {}
        base = f"shoot_scripts[{i}].shoot_script"
        text = (scene.get("text_config") or {}).get("text")
        if isinstance(text, str) and text:
            spoken = TAG_RE.sub(" ", text)
            aliases = " ".join(a or b for a, b in ALIAS_RE.findall(text))
            yield f"{base}.text_config.text", f"{spoken} {aliases}"
        for j, layer in enumerate(scene.get("layer_config") or []):
            encoded = ((layer or {}).get("text_config") or {}).get("text_context")
            if not isinstance(encoded, str) or not encoded:
                continue
            try:
                decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
            except (binascii.Error, ValueError):
                decoded = encoded
            yield f"{base}.layer_config[{j}].text_config.text_context", decoded


def _pattern(word: str) -> re.Pattern[str]:
    escaped = re.escape(word)
    # Latin words match whole words only ("ass" is not in "class"); CJK text has no spaces to bound a word.
    if re.fullmatch(r"[\w\s'-]+", word, flags=re.ASCII):
        return re.compile(rf"(?<!\w){escaped}(?!\w)", re.IGNORECASE)
    return re.compile(escaped, re.IGNORECASE)


def find_review_hits(composition: dict[str, Any], words: list[str]) -> list[dict[str, str]]:
    """Each listed word found, with the field path it was found in."""
    if not words:
        return []
    patterns = [(word, _pattern(word)) for word in words]
    hits = []
    for path, text in reviewed_texts(composition):
        for word, pattern in patterns:
            if pattern.search(text):
                hits.append({"word": word, "path": path})
    return hits


def words_in(text: str, words: list[str]) -> list[str]:
    """The listed words `text` holds (a template value of a row, say)."""
    return [word for word in words if _pattern(word).search(text)]


def describe_hits(hits: list[dict[str, str]]) -> str:
    return "; ".join(f"{hit['word']!r} in {hit['path']}" for hit in hits)
