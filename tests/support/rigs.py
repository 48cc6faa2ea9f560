"""A tiny avatar rig (two parts, every mouth and eye state) written as a zip, for loader and cache tests."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from PIL import Image

from composer.render.avatar.rig import EYE_STATES, FORMAT, MOUTH_SHAPES


def png_bytes(size=(8, 8), color=(200, 100, 50, 255)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def minimal_meta() -> dict:
    return {
        "format": FORMAT, "name": "Tiny", "size": [8, 8], "layout": [1920, 1080], "default_box": [0, 0, 80, 80],
        "parts": [{"name": "torso", "image": "torso.png", "pivot": [4, 8]},
                  {"name": "head", "image": "head.png", "pivot": [4, 4], "parent": "torso", "group": "head"}],
        "faces": {"mouths": {s: f"mouth_{s}.png" for s in MOUTH_SHAPES},
                  "eyes": {s: f"eyes_{s}.png" for s in EYE_STATES}},
        "actions": {"wave": {"duration": 1.0, "tracks": {"head": {"rotate": [[0, 0], [1, 5]]}}}},
    }


def write_rig(path: Path, meta: dict | None = None, extra: dict[str, bytes] | None = None,
              skip: tuple[str, ...] = ()) -> Path:
    meta = minimal_meta() if meta is None else meta
    files = {"rig.json": json.dumps(meta).encode()}
    for name in ["torso.png", "head.png"] + [f"mouth_{s}.png" for s in MOUTH_SHAPES] + \
            [f"eyes_{s}.png" for s in EYE_STATES]:
        files[name] = png_bytes()
    files.update(extra or {})
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            if name not in skip:
                archive.writestr(name, data)
    return path
