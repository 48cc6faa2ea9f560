"""A create body as MetaStudio's reference defines it: our extensions (the fields tables.py marks `ours`) taken
out, for a body sent to a MetaStudio account, with what was taken out said in words for the job's page."""
from __future__ import annotations

import re
from typing import Any

from composer.spec.schema import MISSING, Arr, Field, Obj, join
from composer.spec.tables import CREATE_BODY

# What people call each extension (the field's name otherwise).
NAMES = {"timing": "layer timing", "word_highlight": "subtitle word highlight", "audio_asset_id": "scene audio file",
         "template": "template variables", "font_asset_id": "text layer font file"}
_WHERE = re.compile(r"shoot_scripts\[(\d+)\]|layer_config\[(\d+)\]")


def to_reference(body: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """(a copy of the validated `body` without our extensions, the paths of those that asked for something: one
    at its default, e.g. word_highlight false, is taken out without a word, as MetaStudio does the same)."""
    dropped: list[str] = []
    return _strip(CREATE_BODY, body, "", dropped), dropped


def _strip(spec: Field, value: Any, path: str, dropped: list[str]) -> Any:
    if isinstance(spec, Obj) and isinstance(value, dict):
        out = {}
        for name, item in value.items():
            child = spec.fields.get(name)
            where = join(path, name)
            if child is not None and child.ours:
                if child.default is MISSING or callable(child.default) or item != child.default:
                    dropped.append(where)
                continue
            out[name] = _strip(child, item, where, dropped) if child is not None else item
        return out
    if isinstance(spec, Arr) and isinstance(value, list):
        return [_strip(spec.item, item, f"{path}[{index}]", dropped) for index, item in enumerate(value)]
    return value


def in_words(path: str) -> str:
    """`shoot_scripts[0].shoot_script.layer_config[1].timing` -> `layer timing (scene 1, layer 2)`."""
    name = path.rsplit(".", 1)[-1]
    what = NAMES.get(name) or ("text layer " if ".text_config." in path else "") + name.replace("_", " ")
    where = []
    for scene, layer in _WHERE.findall(path):
        where.append(f"scene {int(scene) + 1}" if scene else f"layer {int(layer) + 1}")
    return f"{what} ({', '.join(where)})" if where else what
