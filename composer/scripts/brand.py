"""The brand kit where scripts meet it: the defaults a new script and the starters take from it, and which of a
composition's colours and fonts are outside it (for the approver and the editor's note)."""
from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

from composer.assets.models import Asset, AssetState, AssetType, BrandKit
from composer.assets.services import asset_names, find_asset
from composer.spec.brand import off_kit
from composer.teams.models import Project


def _saved_kit(project: Project) -> BrandKit | None:
    return BrandKit.objects.filter(project=project).first()


def _music(project: Project, kit: BrandKit) -> str:
    """The kit's music while it is still in the library (a deleted track is not handed to new scripts)."""
    if kit.music_asset_id and find_asset(project, kit.music_asset_id, AssetType.MUSIC) is not None:
        return kit.music_asset_id
    return ""


def kit_for_starters(project: Project) -> dict[str, Any] | None:
    """What composer.scripts.starters.with_kit takes: the palette, the fonts as (asset id, family), the subtitle
    style and the music; None without a kit."""
    kit = _saved_kit(project)
    if kit is None:
        return None
    families = {asset.id: (asset.meta or {}).get("family") or asset.name
                for asset in Asset.objects.filter(project=project, pk__in=kit.font_asset_ids, state=AssetState.ACTIVED)}
    fonts = [(asset_id, str(families[asset_id])[:64]) for asset_id in kit.font_asset_ids if asset_id in families]
    return {"palette": list(kit.palette), "fonts": fonts, "subtitle_style": dict(kit.subtitle_style),
            "music_asset_id": _music(project, kit)}


def with_brand_defaults(project: Project, parts: dict[str, Any]) -> dict[str, Any]:
    """A new script's composition parts with the kit's subtitle style and music where the body gives none."""
    kit = _saved_kit(project)
    if kit is None or not (kit.subtitle_style or kit.music_asset_id):
        return parts
    music = _music(project, kit)
    parts = copy.deepcopy(parts)
    video = parts.get("video_config")
    if kit.subtitle_style and isinstance(video, dict) and "subtitle_config" not in video:
        video["subtitle_config"] = dict(kit.subtitle_style)
    if music and "background_music_config" not in parts:
        parts["background_music_config"] = {"music_asset_id": music}
    return parts


def off_kit_reports(project_id: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A function of a composition: composer.spec.brand.off_kit against the project's kit, fonts named, empty lists
    without a kit ({"has_kit", "colours": [{"value", "paths"}], "fonts": [{"value", "kind", "label", "paths"}]}).
    The kit is read once, here, for a page of approval requests."""
    return functools.partial(_off_kit, BrandKit.objects.filter(project_id=project_id).first())


def _off_kit(kit: BrandKit | None, composition: dict[str, Any]) -> dict[str, Any]:
    if kit is None:
        return {"colours": [], "fonts": [], "has_kit": False}
    found = off_kit(composition, palette=kit.palette, font_asset_ids=kit.font_asset_ids,
                    subtitle_style=kit.subtitle_style)
    font_ids = [font["value"] for font in found["fonts"] if font["kind"] == "asset"]
    names = asset_names(kit.project, font_ids) if font_ids else {}
    for font in found["fonts"]:
        font["label"] = names.get(font["value"], font["value"]) if font["kind"] == "asset" else \
            (font["value"] or "the built-in font")
    return {**found, "has_kit": True}
