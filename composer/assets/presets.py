"""The built-in presets (avatars, voices, backgrounds, music of our own making) as library items.

A preset reads like an uploaded Asset where callers look (id, pk, asset_type, name, state, meta, local_path,
cover_path, is_preset), so the library, the spec's asset checks, the editor and the renderer's resolver treat both
alike; only what a preset cannot do (be changed, have download files) is decided on `is_preset`."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

from composer.assets.models import AssetState


@dataclass(frozen=True)
class Preset:
    id: str
    asset_type: str
    name: str
    #: the file the renderer reads; None for voices the speech engine carries itself
    local_path: Path | None
    #: layout, voice language, orientation... (read-only)
    meta: Mapping[str, Any]

    state: ClassVar[str] = AssetState.ACTIVED
    is_preset: ClassVar[bool] = True
    #: presets have no cover picture of their own
    cover_path: ClassVar[Path | None] = None

    @property
    def pk(self) -> str:
        return self.id

    @property
    def orientation(self) -> str | None:
        return self.meta.get("orientation")


def _from_table(entry: dict[str, Any]) -> Preset:
    meta = dict(entry.get("meta") or {})
    if entry.get("orientation"):
        meta["orientation"] = entry["orientation"]
    return Preset(id=entry["asset_id"], asset_type=entry["asset_type"], name=entry["name"],
                  local_path=Path(entry["path"]) if entry.get("path") else None, meta=MappingProxyType(meta))


@lru_cache(maxsize=1)
def _presets() -> tuple[Preset, ...]:
    # Loaded on first use: the render engine's table imports the rigs and voices it describes.
    from composer.render.presets import BUILTIN_PRESETS

    return tuple(_from_table(entry) for entry in BUILTIN_PRESETS)


@lru_cache(maxsize=1)
def _by_id() -> dict[str, Preset]:
    return {preset.id: preset for preset in _presets()}


def builtin_presets() -> tuple[Preset, ...]:
    """Every built-in preset, in the order the library lists them."""
    return _presets()


def builtin_asset(asset_id: str) -> Preset | None:
    """The built-in preset with this id (visible to every project), or None."""
    return _by_id().get(asset_id)
