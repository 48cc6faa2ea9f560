"""What the pages need to know of a rig without drawing it: its size, native layout, default placement, actions
and figure metrics (composer.spec.framing). Working them out means decoding every layer of the rig (about half a
second a rig on a quiet machine, several seconds under load), so the built-in presenters' facts ship beside their
zips in `presets/avatars/facts.json`, each under the SHA-256 of the zip it was read from; a zip whose bytes differ
(a rebuilt presenter, an upload) is read instead. `python -m composer.render.rigfacts` rewrites the file (run it after
`python -m composer.render.avatar.build`; tests/render/test_rig_facts.py fails while it is stale)."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from composer.render.avatar import BUILTIN_RIGS, Rig, open_rig
from composer.render.compositor import figure_metrics

SHIPPED = Path(__file__).resolve().parent / "presets" / "avatars" / "facts.json"


def facts_of(rig: Rig) -> dict[str, Any]:
    """The facts of a decoded rig, as JSON-ready values."""
    return {"size": list(rig.size), "layout": list(rig.layout), "default_box": list(rig.default_box),
            "actions": list(rig.actions), "figure": figure_metrics(rig).as_json()}


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Any]:
    try:
        return json.loads(SHIPPED.read_text())
    except (OSError, ValueError):
        return {}


@lru_cache(maxsize=64)
def _facts(path: str, mtime: float, size: int) -> dict[str, Any]:
    entry = _shipped().get(Path(path).name)
    if entry and entry.get("sha256") == file_digest(Path(path)):
        return entry["facts"]
    return facts_of(open_rig(Path(path)))


def rig_facts(path: Path) -> dict[str, Any]:
    """The facts of the rig zip at `path`: the shipped ones when its bytes are those they were read from,
    otherwise read from the rig (once per process while the file stays the same)."""
    stat = path.stat()
    return _facts(str(path), stat.st_mtime, stat.st_size)


def write_shipped() -> Path:
    """Reads every built-in rig and writes their facts, keyed by file name, to SHIPPED."""
    table = {}
    for entry in sorted(BUILTIN_RIGS, key=lambda rig: Path(rig["path"]).name):
        path = Path(entry["path"])
        table[path.name] = {"sha256": file_digest(path), "facts": facts_of(open_rig(path))}
    SHIPPED.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")
    _shipped.cache_clear()
    _facts.cache_clear()
    return SHIPPED


if __name__ == "__main__":
    print(write_shipped())
