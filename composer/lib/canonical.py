"""Content keys: the sha256 of a value's canonical JSON (sorted keys, no spaces, UTF-8 text as it is). An approval
pins a composition by it, and every cache (scene renders, scene plays, thumbnails, voice samples, presenter
previews) names its entries by it, so equal content always has one key."""
from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> str:
    """One spelling per JSON value; values JSON has no type for (dates, paths) are written as their text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def content_hash(value: Any) -> str:
    """Hex sha256 of canonical_json(value)."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()
