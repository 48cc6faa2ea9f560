"""Download URLs of stored assets (cover image, playable video) for API bodies and pages."""
from __future__ import annotations


def asset_urls(asset_id: str) -> dict[str, str]:
    from composer.assets.models import Asset

    asset = Asset.objects.filter(pk=asset_id).first()
    if asset is None:
        return {"cover_url": "", "preview_video_url": ""}
    return {"cover_url": asset.cover_url(), "preview_video_url": asset.file_url()}
