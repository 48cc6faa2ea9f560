"""A project's brand kit: its logos, palette, fonts, intro and outro clips, default subtitle style and music.

The kit holds asset ids of the project's own library (music may also be a built-in preset); every id is checked
to name an active asset of the right type when the kit is saved. The palette is #RRGGBB colours and the subtitle
style is the spec's SubtitleConfig, checked by the spec's own fields (one rule in one place)."""
from __future__ import annotations

from typing import Any

from django.db import transaction

from composer.assets.models import Asset, AssetState, AssetType, BrandKit
from composer.assets.services import find_asset
from composer.errors import json_object
from composer.spec import SpecError
from composer.spec.schema import Color
from composer.spec.tables import SUBTITLE_CONFIG
from composer.teams.models import Project
from composer.teams.services import record_audit

MAX_COLOURS = 12
MAX_LOGOS = 10
MAX_FONTS = 10
PALETTE_COLOUR = Color(max_length=7, allow_empty=False)
#: the list fields of the kit and the asset type each id must have
ASSET_LISTS = {"logo_asset_ids": (AssetType.IMAGE, MAX_LOGOS), "font_asset_ids": (AssetType.FONT, MAX_FONTS)}
#: the single-id fields and their asset type ("" or null clears them)
ASSET_FIELDS = {"intro_asset_id": AssetType.VIDEO, "outro_asset_id": AssetType.VIDEO,
                "music_asset_id": AssetType.MUSIC}
FIELDS = ("palette", *ASSET_LISTS, *ASSET_FIELDS, "subtitle_style")
#: what each asset field of the kit is, in words (the library page says what deleting an asset takes from the kit)
FIELD_LABELS = {"logo_asset_ids": "a logo", "font_asset_ids": "a font", "intro_asset_id": "the intro clip",
                "outro_asset_id": "the outro clip", "music_asset_id": "the music"}


def brand_kit(project: Project) -> BrandKit:
    """The project's kit; an empty one (not saved) when nobody has set it."""
    found = BrandKit.objects.filter(project=project).first()
    return found if found is not None else BrandKit(project=project)


def kit_uses(project: Project) -> dict[str, list[str]]:
    """{asset id: what it is in the project's kit, in words} for every library asset the kit holds."""
    kit = BrandKit.objects.filter(project=project).first()
    if kit is None:
        return {}
    held = {*kit.logo_asset_ids, *kit.font_asset_ids, kit.intro_asset_id, kit.outro_asset_id, kit.music_asset_id}
    return {asset_id: [FIELD_LABELS[name] for name in kit.uses(asset_id)] for asset_id in sorted(held - {""})}


def brand_kit_payload(kit: BrandKit) -> dict[str, Any]:
    return {"project_id": kit.project_id, "palette": list(kit.palette),
            "logo_asset_ids": list(kit.logo_asset_ids), "font_asset_ids": list(kit.font_asset_ids),
            "intro_asset_id": kit.intro_asset_id or None, "outro_asset_id": kit.outro_asset_id or None,
            "music_asset_id": kit.music_asset_id or None, "subtitle_style": dict(kit.subtitle_style),
            "updated_by": kit.updated_by.get_username() if kit.updated_by else None,
            "update_time": kit.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ") if kit.updated_at else None}


def checked_palette(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise SpecError("palette", "must be a list of colours as #RRGGBB")
    if len(value) > MAX_COLOURS:
        raise SpecError("palette", f"may hold at most {MAX_COLOURS} colours (got {len(value)})")
    colours: list[str] = []
    for index, item in enumerate(value):
        colour = PALETTE_COLOUR.check(item, f"palette[{index}]")
        if colour in colours:
            raise SpecError(f"palette[{index}]", f"repeats {colour}")
        colours.append(colour)
    return colours


def _checked_asset(project: Project, field: str, value: Any, asset_type: str) -> str:
    if not isinstance(value, str) or not value or len(value) > 64:
        raise SpecError(field, "must be an asset id (a non-empty string of at most 64 characters)")
    if asset_type == AssetType.MUSIC:
        # The library's rule for background music: a MUSIC or AUDIO upload of the project, or a music preset.
        if find_asset(project, value, asset_type) is None:
            raise SpecError(field, f"no active MUSIC asset {value!r} in this project or the presets")
        return value
    asset = Asset.objects.filter(project=project, pk=value).exclude(state=AssetState.DELETED).first()
    if asset is None:
        raise SpecError(field, f"no {asset_type} asset {value!r} in this project")
    if asset.asset_type != asset_type:
        raise SpecError(field, f"asset {value!r} is of type {asset.asset_type}; this field takes {asset_type} assets")
    if asset.state != AssetState.ACTIVED:
        raise SpecError(field, f"asset {value!r} is not ready ({asset.state}); upload its file first")
    return value


def _checked_list(project: Project, field: str, value: Any, asset_type: str, limit: int) -> list[str]:
    if not isinstance(value, list):
        raise SpecError(field, "must be a list of asset ids")
    if len(value) > limit:
        raise SpecError(field, f"may hold at most {limit} assets (got {len(value)})")
    ids: list[str] = []
    for index, item in enumerate(value):
        asset_id = _checked_asset(project, f"{field}[{index}]", item, asset_type)
        if asset_id in ids:
            raise SpecError(f"{field}[{index}]", f"repeats {asset_id!r}")
        ids.append(asset_id)
    return ids


def checked_subtitle_style(value: Any) -> dict[str, Any]:
    """The spec's SubtitleConfig rules, with its defaults filled in; null or {} means no default style."""
    if value is None or value == {}:
        return {}
    return SUBTITLE_CONFIG.check(value, "subtitle_style")


def checked_changes(project: Project, data: Any) -> dict[str, Any]:
    """The kit fields the body gives, each checked; fields left out keep their value."""
    data = json_object(data)
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise SpecError(unknown[0], f"is not a brand kit field (the fields are {', '.join(FIELDS)})")
    changes: dict[str, Any] = {}
    if "palette" in data:
        changes["palette"] = checked_palette(data["palette"])
    for field, (asset_type, limit) in ASSET_LISTS.items():
        if field in data:
            changes[field] = _checked_list(project, field, data[field], asset_type, limit)
    for field, asset_type in ASSET_FIELDS.items():
        if field in data:
            value = data[field]
            changes[field] = "" if value in (None, "") else _checked_asset(project, field, value, asset_type)
    if "subtitle_style" in data:
        changes["subtitle_style"] = checked_subtitle_style(data["subtitle_style"])
    return changes


@transaction.atomic
def update_brand_kit(project: Project, data: Any, *, by) -> BrandKit:
    """Change the fields the body gives (all checked before any is saved) and write one audit entry."""
    changes = checked_changes(project, data)
    kit, _ = BrandKit.objects.select_for_update().get_or_create(project=project)
    for field, value in changes.items():
        setattr(kit, field, value)
    kit.updated_by = by
    kit.save()
    record_audit(project, by, "brand_kit.update", kit, fields=sorted(changes))
    return kit
