"""Built-in assets visible to every project: avatars, voices, backgrounds and music of our own making."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from composer.render.avatar import BUILTIN_RIGS
from composer.render.speech import BUILTIN_VOICES

HERE = Path(__file__).resolve().parent


def _presets() -> list[dict[str, Any]]:
    presets: list[dict[str, Any]] = []
    for rig in BUILTIN_RIGS:
        presets.append({"asset_id": rig["asset_id"], "asset_type": "HUMAN_MODEL_2D", "name": rig["name"],
                        "path": str(rig["path"]), "orientation": rig["orientation"],
                        "meta": {"layout_width": rig["layout"][0], "layout_height": rig["layout"][1],
                                 "description": rig["description"], "gender": rig["gender"],
                                 "default_voice": rig["default_voice"]}})
    for voice in BUILTIN_VOICES:
        presets.append({"asset_id": voice["asset_id"], "asset_type": "VOICE_MODEL", "name": voice["name"],
                        "path": None, "meta": {"language": voice["language"], "engine": voice["kind"]}})
    for name, label in (("studio-blue", "Studio blue"), ("warm-office", "Warm office"),
                        ("night-gradient", "Night gradient")):
        for orientation in ("landscape", "portrait"):
            presets.append({"asset_id": f"bg-{name}-{orientation}", "asset_type": "IMAGE",
                            "name": f"{label} ({orientation})", "orientation": orientation,
                            "path": str(HERE / "backgrounds" / f"{name}-{orientation}.jpg"), "meta": {}})
    for name, label in (("calm-pads", "Calm pads"), ("bright-pulse", "Bright pulse")):
        presets.append({"asset_id": f"music-{name}", "asset_type": "MUSIC", "name": label,
                        "path": str(HERE / "music" / f"{name}.m4a"), "meta": {"duration": 32.0}})
    return presets


BUILTIN_PRESETS: list[dict[str, Any]] = _presets()
_BY_ID = {preset["asset_id"]: preset for preset in BUILTIN_PRESETS}


def resolve_builtin(asset_id: str) -> dict[str, Any] | None:
    """The built-in preset with this id, or None."""
    return _BY_ID.get(asset_id)
