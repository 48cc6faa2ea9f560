"""Asset services: lookups that the spec validator and the renderer use, scoped to one project."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from composer.assets.models import Asset, AssetState
from composer.teams.models import Project


def builtin_asset(asset_id: str) -> dict[str, Any] | None:
    """A built-in preset (avatars, voices, backgrounds, music of our own making), visible to every project."""
    from composer.render.presets import resolve_builtin

    return resolve_builtin(asset_id)


def find_asset(project: Project | None, asset_id: str, asset_type: str) -> Asset | dict[str, Any] | None:
    """An ACTIVED asset of `asset_type` in `project`, or a preset of that type; None when there is none.

    With no project (the command-line renderer) only the presets exist.
    """
    preset = builtin_asset(asset_id)
    if preset is not None:
        return preset if preset["asset_type"] == asset_type else None
    if project is None:
        return None
    return Asset.objects.filter(project=project, pk=asset_id, asset_type=asset_type,
                                state=AssetState.ACTIVED).first()


def spec_asset_checker(project: Project | None):
    """The asset_checker the spec validator calls for every asset id in a body."""
    from composer.spec import SpecError

    def check(field: str, asset_id: str, asset_type: str) -> dict[str, Any] | None:
        found = find_asset(project, asset_id, asset_type)
        if found is None:
            where = "in this project or the presets" if project else "among the presets (see `manage.py presets`)"
            raise SpecError(field, f"no active {asset_type} asset {asset_id!r} {where}")
        meta = found.get("meta", found) if isinstance(found, dict) else found.meta
        if asset_type == "HUMAN_MODEL_2D" and meta.get("layout_width"):
            return {"layout_width": meta["layout_width"], "layout_height": meta["layout_height"]}
        return None

    return check


def asset_file_path(project: Project | None, asset_id: str, asset_type: str) -> Path:
    """The local file behind an asset id, for the renderer."""
    found = find_asset(project, asset_id, asset_type)
    if found is None:
        raise LookupError(f"no active {asset_type} asset {asset_id!r}")
    if isinstance(found, dict):
        return Path(found["path"])
    return Path(found.file.path)
