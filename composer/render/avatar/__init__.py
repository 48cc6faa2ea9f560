"""The 2D avatar: rig format, validation, and the per-frame performance."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from composer.render.avatar.performance import Performance
from composer.render.avatar.rig import Rig, RigError, load_rig, validate_rig_zip

PRESET_DIR = Path(__file__).resolve().parents[1] / "presets" / "avatars"

BUILTIN_RIGS: list[dict] = [
    {"asset_id": "avatar-maya", "name": "Maya (landscape presenter)", "path": PRESET_DIR / "presenter-landscape.zip",
     "orientation": "landscape", "layout": (1920, 1080)},
    {"asset_id": "avatar-leo", "name": "Leo (portrait presenter)", "path": PRESET_DIR / "presenter-portrait.zip",
     "orientation": "portrait", "layout": (1080, 1920)},
]


@lru_cache(maxsize=8)
def _cached_rig(path: str, mtime: float) -> Rig:
    return load_rig(Path(path))


def open_rig(path: Path) -> Rig:
    """Load a rig once per process (keyed by path and modification time)."""
    return _cached_rig(str(path), Path(path).stat().st_mtime)


__all__ = ["BUILTIN_RIGS", "Performance", "Rig", "RigError", "load_rig", "open_rig", "validate_rig_zip"]
