"""Avatar rigs as the pages see them, drawn by the engine itself: a rig's size, native layout, default placement
and figure metrics (the editor frames the avatar with the compositor's rule, composer.spec.framing, transcribed
in static/composer/editor/framing.js), and the avatar at rest as a PNG (what the canvas draws). Both are kept
per rig file and modification time."""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any

AVATAR_STILL_WIDTH = 720


@lru_cache(maxsize=16)
def _rig_facts(path: str, mtime: float) -> dict[str, Any]:
    # The engine (PyAV, the voices) loads on first use, not with every web process.
    from composer.render.avatar import open_rig
    from composer.render.compositor import figure_metrics

    rig = open_rig(Path(path))
    return {"size": list(rig.size), "layout": list(rig.layout), "default_box": list(rig.default_box),
            "actions": rig.actions, "figure": figure_metrics(rig).as_json()}


def rig_facts(path: Path) -> dict[str, Any]:
    """Size, native layout, default placement, actions and figure metrics of the rig zip at `path`."""
    return _rig_facts(str(path), path.stat().st_mtime)


def rig_info(asset) -> dict[str, Any] | None:
    """rig_facts of an avatar asset (a preset or an upload), or None when its rig is missing or unreadable."""
    path = asset.local_path
    if path is None or not path.exists():
        return None
    try:
        return rig_facts(path)
    except (OSError, ValueError):
        return None


@lru_cache(maxsize=8)
def _still(path: str, mtime: float) -> bytes:
    # The engine (PyAV, the voices) loads on first use, not with every web process.
    from composer.render.avatar import Performance, open_rig

    rig = open_rig(Path(path))
    scale = min(1.0, AVATAR_STILL_WIDTH / rig.size[0])
    still = Performance(rig, [], [], 1.0, action_interval=255, seed=7, scale=scale).frame(0.0)
    buffer = io.BytesIO()
    still.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def avatar_still(path: Path) -> bytes:
    """The avatar of the rig zip at `path` at rest (no speech, no gesture) as a transparent PNG at most
    AVATAR_STILL_WIDTH wide, the way the compositor draws it."""
    return _still(str(path), path.stat().st_mtime)
