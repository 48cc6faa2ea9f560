"""The canvas editor page: one script's latest revision as the spec's own JSON, plus what the editor needs to
draw and constrain it (presets, project assets, the layer palette, the spec's JSON schema, the canvas size).

The editor writes only through the scripts API (autosave = PUT with base_revision); this module only reads."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from composer.assets.brand import brand_kit
from composer.assets.models import AssetState
from composer.assets.payloads import any_asset_payload
from composer.assets.rigs import avatar_rig_path, avatar_still, is_remote_avatar, rig_info
from composer.assets.services import get_asset, list_assets
from composer.errors import NotFound
from composer.scripts import services as scripts
from composer.scripts.payloads import approval_summary
from composer.spec import canvas_size, composition_json_schema, orientation
from composer.spec.layers import layer_types_for_editor
from composer.spec.rules import AVATAR_BITRATE, RESIZE_SIZES
from composer.spec.schema import field_limits
from composer.spec.tables import (
    BACKGROUND_IMAGE_CONFIG,
    BUNDLED_FONTS,
    LAYER_CONFIG,
    TEXT_STYLE_DEFAULTS,
)
from composer.spec.transparency import transparency_rules
from composer.studio.access import project_context, project_page
from composer.studio.batches import batch_start_href
from composer.teams.permissions import can

EDITOR_ASSET_TYPES = ["HUMAN_MODEL_2D", "VOICE_MODEL", "IMAGE", "VIDEO", "MUSIC", "AUDIO", "FONT"]
MAX_LISTED_ASSETS = 500


def editor_asset(item, project_id: str) -> dict[str, Any]:
    """An asset in the library's shape plus `image_url` (what the canvas draws) and, for avatars, the rig."""
    payload = any_asset_payload(item)
    asset_type = payload["asset_type"]
    if asset_type in ("IMAGE", "HUMAN_MODEL_2D") or (asset_type == "VIDEO" and payload.get("cover_url")):
        payload["image_url"] = reverse("editor-asset-image", args=[project_id, payload["asset_id"]])
    if asset_type == "HUMAN_MODEL_2D":
        payload["rig"] = rig_info(item)
        if is_remote_avatar(item):
            # Drawn here as a stand-in (its cover, marked so); the video shows MetaStudio's own avatar.
            payload["rendered_by"] = "MetaStudio"
    if asset_type == "FONT":
        # The canvas loads the project's font from the same origin, to draw text layers in it as the render does.
        payload["font_url"] = reverse("editor-asset-image", args=[project_id, payload["asset_id"]])
    return payload


def text_style() -> dict[str, Any]:
    """What the text properties offer: the bundled fonts and the values a style field has when it is absent."""
    return {"fonts": list(BUNDLED_FONTS), "defaults": dict(TEXT_STYLE_DEFAULTS)}


def editor_brand_kit(project) -> dict[str, Any]:
    """What the text properties offer first: the brand kit's palette and fonts (composer.assets.brand)."""
    kit = brand_kit(project)
    return {"palette": list(kit.palette), "font_asset_ids": list(kit.font_asset_ids)}


def video_rules() -> dict[str, Any]:
    """The avatar bitrate range, the RESIZE output sizes per orientation (the standard size first) and which codecs
    keep a scene without background see-through."""
    def sizes(name: str) -> list[list[int]]:
        standard = canvas_size({"width": 1920, "height": 1080} if name == "landscape" else {"width": 1080, "height": 1920})
        found = [size for size in RESIZE_SIZES if orientation(*size) == name]
        return [list(size) for size in sorted(found, key=lambda size: (size != standard, size[0] * size[1]))]

    return {"avatarBitrate": list(AVATAR_BITRATE), "resizeSizes": {name: sizes(name) for name in ("landscape", "portrait")},
            "transparency": transparency_rules()}


def editor_page_data(request, script) -> dict[str, Any]:
    project, membership = request.project, request.membership
    head = script.head
    _, items = list_assets(project, asset_types=EDITOR_ASSET_TYPES, limit=MAX_LISTED_ASSETS)
    library = [editor_asset(item, project.id) for item in items if item.state == AssetState.ACTIVED]
    presets = [a for a in library if a["is_preset"]]

    def of_type(asset_type: str) -> list[dict[str, Any]]:
        return [a for a in presets if a["asset_type"] == asset_type]

    video = head.composition.get("video_config") or {}
    width, height = canvas_size(video)
    return {
        "projectId": project.id, "scriptId": script.id, "scriptName": script.name,
        "revision": head.number, "contentHash": head.content_hash, "approval": approval_summary(script),
        "canEdit": can(membership, "script.edit"), "canApprove": can(membership, "script.approve"),
        "canRequestApproval": can(membership, "script.request_approval"),
        "canSubmit": can(membership, "job.create"), "requireApproval": project.require_approval,
        "composition": head.composition,
        "presets": {"avatars": of_type("HUMAN_MODEL_2D"), "voices": of_type("VOICE_MODEL"),
                    "backgrounds": of_type("IMAGE"), "music": of_type("MUSIC")},
        "assets": [a for a in library if not a["is_preset"]],
        "layerTypes": layer_types_for_editor(),
        # Every range and choice of a layer's and a background box's fields, from the spec's tables: the hints and
        # input limits say what the server's refusal would say.
        "fieldLimits": {"layer": field_limits(LAYER_CONFIG), "background": field_limits(BACKGROUND_IMAGE_CONFIG)},
        "textStyle": text_style(),
        "brandKit": editor_brand_kit(project),
        "orientation": orientation(width, height), "canvas": {"width": width, "height": height},
        # Positions are measured in this layout per orientation (composer.spec.canvas_size).
        "canvases": {name: dict(zip(("width", "height"), canvas_size(config), strict=True)) for name, config in
                     (("landscape", {"width": 1920, "height": 1080}), ("portrait", {"width": 1080, "height": 1920}))},
        "schema": composition_json_schema(),
        # Rules the schema cannot say, as hints for the settings panel (the server's validation decides).
        "videoRules": video_rules(),
        "urls": {"scripts": reverse("scripts", args=[project.id]), "jobs": reverse("jobs", args=[project.id]),
                 "job": reverse("job", args=[project.id, "JOB_ID"]), "project": reverse("project", args=[project.id]),
                 "assetImage": reverse("editor-asset-image", args=[project.id, "ASSET_ID"]),
                 "assets": reverse("assets", args=[project.id])},
        "testHooks": settings.COMPOSER_TEST_HOOKS,
    }


@project_page("script.view")
def editor(request, project_id: str, script_id: str):
    """The editor; members whose role cannot edit get the same page read-only."""
    try:
        script = scripts.get_script(request.project, script_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    data = editor_page_data(request, script)
    return render(request, "studio/editor.html", project_context(
        request, section="scripts", script=script, read_only=not data["canEdit"], page_data=data,
        batch_href=batch_start_href(request, script)))


@project_page("asset.view")
def editor_asset_image(request, project_id: str, asset_id: str):
    """What the canvas draws for an asset: an image's file, a video's cover, an avatar's still at rest, a font's file.
    Built-in presets have no download link of their own, so they are served here too."""
    try:
        found = get_asset(request.project, asset_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if found.state != AssetState.ACTIVED:
        raise Http404("the asset is not active")
    kind = found.asset_type
    path = found.cover_path if kind == "VIDEO" else avatar_rig_path(found) if kind == "HUMAN_MODEL_2D" \
        else found.local_path
    if path is None or not path.exists() or kind not in ("IMAGE", "VIDEO", "HUMAN_MODEL_2D", "FONT"):
        raise Http404("this asset has no picture")
    if kind == "HUMAN_MODEL_2D":
        response = HttpResponse(avatar_still(path), content_type="image/png")
    else:
        response = FileResponse(path.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response
