"""Download URLs of stored assets (cover image, playable video) for API bodies and pages."""
from __future__ import annotations


def asset_urls(asset_id: str, base_url: str | None = None) -> dict[str, str]:
    from composer.assets.models import Asset
    from composer.assets.signing import signed_url

    asset = Asset.objects.filter(pk=asset_id).first()
    if asset is None:
        return {"cover_url": "", "preview_video_url": ""}
    return {"cover_url": signed_url(asset, "cover", absolute_base=base_url) if asset.cover else "",
            "preview_video_url": signed_url(asset, "file", absolute_base=base_url) if asset.file else ""}
