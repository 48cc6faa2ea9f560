"""Importing the project's MetaStudio avatars and voices into its library as remote assets.

Each active remote avatar and voice becomes (or updates) one library asset with source "metastudio" and its
remote asset id; its cover image comes through the guarded fetcher. A remote asset no longer listed there is
marked deleted here. The asset has no file here: it renders on MetaStudio only."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from composer.assets.checks import save_thumbnail
from composer.assets.models import Asset, AssetSource, AssetState, AssetType
from composer.assets.payloads import REMOTE_EXTRA_META
from composer.assets.services import store_cover
from composer.errors import RemoteFailed
from composer.lib import fetch
from composer.metastudio.client import MetaStudioError
from composer.teams.models import Project
from composer.teams.remote_account import client_for
from composer.teams.services import record_audit

IMPORTED = {AssetType.HUMAN_MODEL_2D: "avatars", AssetType.VOICE_MODEL: "voices"}
MAX_COVER_BYTES = 10 * 1024 * 1024
MAX_NAME = Asset._meta.get_field("name").max_length
MAX_REMOTE_ID = Asset._meta.get_field("remote_asset_id").max_length


def _text(value: Any, limit: int) -> str:
    text = "".join(ch for ch in str(value or "") if ch.isprintable())
    return text.strip()[:limit]


def _cover_url(item: dict[str, Any]) -> str:
    for entry in item.get("files") or []:
        if isinstance(entry, dict) and entry.get("asset_file_category") == "COVER" and entry.get("download_url"):
            return str(entry["download_url"])
    return str(item.get("cover_url") or "")


def _meta(asset_type: str, item: dict[str, Any]) -> dict[str, Any]:
    extra = item.get("asset_extra_meta") if isinstance(item.get("asset_extra_meta"), dict) else {}
    meta: dict[str, Any] = {REMOTE_EXTRA_META: extra}
    if asset_type == AssetType.VOICE_MODEL:
        language = (extra.get("voice_model_meta") or {}).get("language")
        if language:
            meta["language"] = str(language)
    resolution = str((extra.get("human_model_2d_meta") or {}).get("model_resolution") or "")
    if "x" in resolution and all(part.isdigit() for part in resolution.split("x", 1)):
        width, height = resolution.split("x", 1)
        meta["layout_width"], meta["layout_height"] = int(width), int(height)
    return meta


def _fetch_cover(asset: Asset, url: str) -> bool:
    """Store the remote's cover as the asset's cover thumbnail; False when it could not be had."""
    with tempfile.TemporaryDirectory(prefix="composer-cover-") as work:
        raw = Path(work) / "cover.bin"
        try:
            fetch.download(url, raw, max_bytes=MAX_COVER_BYTES)
            with Image.open(raw) as image:
                image.load()
                thumbnail = save_thumbnail(image, Path(work) / "cover.jpg")
        except (fetch.FetchRefused, UnidentifiedImageError, OSError):
            return False
        store_cover(asset, thumbnail)
    return True


def _upsert(project: Project, asset_type: str, item: dict[str, Any], by: AbstractBaseUser | None,
            counts: dict[str, int]) -> Asset | None:
    remote_id = _text(item.get("asset_id"), MAX_REMOTE_ID)
    if not remote_id or item.get("asset_state", "ACTIVED") != "ACTIVED":
        counts["skipped"] += 1
        return None
    fields = {"name": _text(item.get("asset_name"), MAX_NAME) or remote_id,
              "description": _text(item.get("asset_description"), 2000),
              "tags": [_text(tag, 64) for tag in item.get("tags") or [] if _text(tag, 64)][:20],
              "meta": _meta(asset_type, item), "state": AssetState.ACTIVED, "source": AssetSource.METASTUDIO}
    asset = Asset.objects.filter(project=project, remote_asset_id=remote_id).first()
    if asset is None:
        asset = Asset.objects.create(project=project, asset_type=asset_type, remote_asset_id=remote_id,
                                     created_by=by, **fields)
        counts["created"] += 1
    else:
        for name, value in fields.items():
            setattr(asset, name, value)
        asset.asset_type = asset_type
        asset.save()
        counts["updated"] += 1
    return asset


def sync_remote_assets(project: Project, *, by: AbstractBaseUser | None) -> dict[str, int]:
    """Import the project's MetaStudio avatars and voices; answers how many of each, and what changed."""
    counts = {"avatars": 0, "voices": 0, "created": 0, "updated": 0, "removed": 0, "skipped": 0,
              "covers": 0, "covers_failed": 0}
    listed: dict[str, list[dict[str, Any]]] = {}
    with client_for(project) as remote:
        try:
            for asset_type in IMPORTED:
                listed[asset_type] = [item for item in remote.iter_assets(asset_type) if isinstance(item, dict)]
        except MetaStudioError as exc:
            raise RemoteFailed(str(exc)) from exc
    seen: set[str] = set()
    covers: list[tuple[Asset, str]] = []
    with transaction.atomic():
        for asset_type, items in listed.items():
            for item in items:
                asset = _upsert(project, asset_type, item, by, counts)
                if asset is None:
                    continue
                counts[IMPORTED[asset_type]] += 1
                seen.add(asset.remote_asset_id)
                if not asset.cover and _cover_url(item):
                    covers.append((asset, _cover_url(item)))
        gone = Asset.objects.filter(project=project, source=AssetSource.METASTUDIO,
                                    asset_type__in=list(IMPORTED)).exclude(remote_asset_id__in=seen) \
            .exclude(state=AssetState.DELETED)
        counts["removed"] = gone.update(state=AssetState.DELETED)
        record_audit(project, by, "asset.sync_remote", project, **counts)
    for asset, url in covers:    # after the rows are kept: a slow or broken cover link fails only its cover
        counts["covers" if _fetch_cover(asset, url) else "covers_failed"] += 1
    return counts
