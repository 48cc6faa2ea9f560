"""Readable differences between two compositions: a list of changed JSON paths and a unified text diff."""
from __future__ import annotations

import difflib
import json
from typing import Any

MISSING = None


def _child(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def json_changes(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """Every leaf that differs, as {"path", "before", "after"}; an added or removed part has null on one side.

    Paths use the spec's own notation (shoot_scripts[0].shoot_script.text_config.text), so a change reads the
    same as a validation error about the same field."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[dict[str, Any]] = []
        for key in sorted(set(before) | set(after)):
            if key not in after:
                changes.append({"path": _child(path, key), "before": before[key], "after": MISSING})
            elif key not in before:
                changes.append({"path": _child(path, key), "before": MISSING, "after": after[key]})
            else:
                changes.extend(json_changes(before[key], after[key], _child(path, key)))
        return changes
    if isinstance(before, list) and isinstance(after, list):
        changes = []
        for index in range(max(len(before), len(after))):
            if index >= len(after):
                changes.append({"path": _child(path, index), "before": before[index], "after": MISSING})
            elif index >= len(before):
                changes.append({"path": _child(path, index), "before": MISSING, "after": after[index]})
            else:
                changes.extend(json_changes(before[index], after[index], _child(path, index)))
        return changes
    if before == after and type(before) is type(after):
        return []
    return [{"path": path, "before": before, "after": after}]


def pretty(document: Any) -> list[str]:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).splitlines()


def unified_text(before: Any, after: Any, *, before_label: str, after_label: str) -> str:
    """The compositions as indented JSON, compared line by line (unified format, three lines of context)."""
    lines = difflib.unified_diff(pretty(before), pretty(after), fromfile=before_label, tofile=after_label,
                                 lineterm="")
    return "\n".join(lines)
