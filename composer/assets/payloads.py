"""Assets as MetaStudio's DigitalAssetInfo (the official SDK deserializes these), for the API and the pages."""
from __future__ import annotations

from typing import Any

from composer.assets.models import Asset
from composer.assets.presets import Preset
from composer.assets.signing import signed_url

# Server paths stay on the server.
PRIVATE_META = {"config_path"}
# An imported MetaStudio asset keeps the remote's asset_extra_meta as it came.
REMOTE_EXTRA_META = "remote_extra_meta"


def iso(value) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _extra_meta(asset_type: str, meta: dict[str, Any], width, height, duration, size: int) -> dict[str, Any]:
    seconds = int(round(duration)) if duration else None
    if asset_type == "HUMAN_MODEL_2D":
        layout = f"{meta['layout_width']}x{meta['layout_height']}" if meta.get("layout_width") else None
        return {"human_model_2d_meta": {"model_resolution": layout, "is_action_editable": False,
                                        "support_live": False, "is_with_action_library": bool(meta.get("actions"))}}
    if asset_type == "VOICE_MODEL":
        return {"voice_model_meta": {"language": meta.get("language") or None, "model_type": "PIPER"}}
    if asset_type == "IMAGE":
        return {"image_meta": {"codec": meta.get("format"), "width": width, "height": height, "size": size or None}}
    if asset_type == "VIDEO":
        return {"video_meta": {"video_codec": meta.get("video_codec"), "width": width, "height": height,
                               "frame_rate": meta.get("frame_rate"), "duration": seconds,
                               "video_bit_rate": meta.get("video_bit_rate"), "audio_codec": meta.get("audio_codec"),
                               "audio_channels": meta.get("channels"), "sample": meta.get("sample_rate")}}
    if asset_type in ("MUSIC", "AUDIO"):
        return {"audio_meta": {"duration": seconds, "audio_codec": meta.get("audio_codec"),
                               "audio_bit_rate": meta.get("audio_bit_rate"), "audio_channels": meta.get("channels"),
                               "sample": meta.get("sample_rate")}}
    return {}


def _file(asset: Asset, kind: str, category: str, base_url: str | None) -> dict[str, Any]:
    field = asset.file if kind == "file" else asset.cover
    return {"file_id": f"{asset.id}-{kind}", "file_name": asset.original_filename if kind == "file" else "cover.jpg",
            "file_md5": asset.meta.get("file_md5") if kind == "file" else None,
            "file_size": asset.size_bytes if kind == "file" else None,
            "file_type": field.name.rsplit(".", 1)[-1].upper(), "asset_file_category": category,
            "download_url": signed_url(asset, kind, absolute_base=base_url), "state": "CREATED"}


def asset_payload(asset: Asset, *, base_url: str | None = None) -> dict[str, Any]:
    """One project asset in MetaStudio's shape, plus Composer's own fields (cover_url, duration, meta...)."""
    files = []
    if asset.file:
        files.append(_file(asset, "file", "MAIN", base_url))
    if asset.cover:
        files.append(_file(asset, "cover", "COVER", base_url))
    meta = {k: v for k, v in asset.meta.items() if k not in PRIVATE_META}
    return {
        "project_id": asset.project_id, "asset_id": asset.id, "asset_name": asset.name,
        "asset_description": asset.description, "app_user_id": None,
        "create_time": iso(asset.created_at), "update_time": iso(asset.updated_at),
        "asset_type": asset.asset_type, "asset_state": asset.state, "reason": asset.reason or None,
        "tags": list(asset.tags or []),
        "asset_extra_meta": meta.pop(REMOTE_EXTRA_META, None) or _extra_meta(
            asset.asset_type, asset.meta, asset.width, asset.height, asset.duration, asset.size_bytes),
        "files": files,
        "is_preset": False, "source": asset.source, "remote_asset_id": asset.remote_asset_id or None, "file_name": asset.original_filename, "content_type": asset.content_type,
        "size_bytes": asset.size_bytes, "width": asset.width, "height": asset.height, "duration": asset.duration,
        "cover_url": signed_url(asset, "cover", absolute_base=base_url) if asset.cover else None,
        "meta": meta,
    }


def preset_payload(preset: Preset) -> dict[str, Any]:
    """A built-in preset in the same shape: always ACTIVED, tagged "preset", not editable."""
    meta = dict(preset.meta)
    return {
        "project_id": None, "asset_id": preset.id, "asset_name": preset.name,
        "asset_description": "Built-in preset", "app_user_id": None, "create_time": None, "update_time": None,
        "asset_type": preset.asset_type, "asset_state": preset.state, "reason": None, "tags": ["preset"],
        "asset_extra_meta": _extra_meta(preset.asset_type, meta, None, None, meta.get("duration"), 0),
        "files": [], "is_preset": True, "source": "builtin", "remote_asset_id": None, "file_name": None, "content_type": None, "size_bytes": None,
        "width": meta.get("layout_width"), "height": meta.get("layout_height"), "duration": meta.get("duration"),
        "cover_url": None, "meta": meta,
    }


def any_asset_payload(item: Asset | Preset, *, base_url: str | None = None) -> dict[str, Any]:
    """A library item as the API lists it: presets have no project, dates or download files."""
    return preset_payload(item) if item.is_preset else asset_payload(item, base_url=base_url)
