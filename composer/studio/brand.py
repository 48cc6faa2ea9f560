"""The brand kit page: the project's palette, fonts, logos, intro and outro, default subtitle style and music.

It reads the kit and the library through the asset services; saving goes through PUT /v1/{project_id}/brand-kit
from the page (static/composer/brand-kit.js)."""
from __future__ import annotations

from typing import Any

from django.shortcuts import render

from composer.assets.brand import MAX_COLOURS, brand_kit, brand_kit_payload
from composer.assets.models import AssetState
from composer.assets.services import list_assets
from composer.spec.schema import field_limits
from composer.spec.tables import SUBTITLE_CONFIG
from composer.studio.access import project_context, project_page
from composer.teams.permissions import can

MAX_LISTED = 500
#: the subtitle style's fields the page offers, in its order
SUBTITLE_FIELDS = ("font_size", "font_color", "stroke_color", "stroke_thickness", "opacity")


def _choices(project, *asset_types: str, presets: bool = False) -> list[dict[str, Any]]:
    _, items = list_assets(project, asset_types=list(asset_types), states=[AssetState.ACTIVED],
                           include_presets=presets, limit=MAX_LISTED)
    return [{"asset_id": item.id, "name": item.name, "is_preset": item.is_preset} for item in items]


@project_page("brand.view")
def brand_kit_page(request, project_id: str):
    """Everyone reads the kit; owners and editors change it (the form is read-only for the others)."""
    project = request.project
    kit = brand_kit_payload(brand_kit(project))
    limits = field_limits(SUBTITLE_CONFIG)
    style = {**SUBTITLE_CONFIG.check({}, ""), **kit["subtitle_style"]}
    subtitle = [{"name": name, "value": style.get(name), "limits": limits.get(name, {})} for name in SUBTITLE_FIELDS]
    return render(request, "studio/brand_kit.html", project_context(
        request, section="brand", kit=kit, subtitle=subtitle, has_style=bool(kit["subtitle_style"]),
        images=_choices(project, "IMAGE"), fonts=_choices(project, "FONT"), videos=_choices(project, "VIDEO"),
        music=_choices(project, "MUSIC", "AUDIO", presets=True), can_edit=can(request.membership, "brand.manage"),
        page_data={"project_id": project_id, "max_colours": MAX_COLOURS, "palette": kit["palette"],
                   "can_edit": can(request.membership, "brand.manage")}))
