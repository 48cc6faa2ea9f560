"""Which stored bytes the assets a scene uses mean now: the part of a cache key that changes when a file does.

A stored file is never rewritten in place (a new upload gets a new generated name), so an asset's stored name and
size say which bytes its id means; renaming or tagging the asset does not matter. Built-in presets change only
with the code (the render cache keys carry the engine's version for them).
"""
from __future__ import annotations

from typing import Any

from composer.assets.models import Asset


def leaves(value: Any, key: str = ""):
    """Every (key, value) of a JSON document's scalars, nested objects and lists included."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from leaves(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item, key)
    else:
        yield key, value


def asset_ids(value: Any) -> set[str]:
    return {item for key, item in leaves(value) if key.endswith("asset_id") and isinstance(item, str)}


def scene_asset_files(project, scene: dict, spec: dict) -> list:
    """[asset id, [stored name, size]] of every project asset the scene uses (its layers and background, the
    presenter, the voice), sorted by asset id."""
    ids = asset_ids(scene) | {spec.get("model_asset_id")} | asset_ids(spec.get("voice_config") or {})
    # An avatar imported from MetaStudio has no file: its cover is what the stand-in draws.
    assets = {a.pk: [a.file.name if a.file else a.cover.name if a.remote_asset_id else "", a.size_bytes]
              for a in Asset.objects.filter(project=project, pk__in=[i for i in ids if i])}
    return sorted(assets.items())
