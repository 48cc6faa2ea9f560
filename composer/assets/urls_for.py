"""Download URLs of stored assets (cover image, playable video, subtitle files) for API bodies and pages."""
from __future__ import annotations

from composer.assets.models import Asset
from composer.assets.signing import signed_url

NO_URLS = {"cover_url": "", "preview_video_url": "", "subtitle_srt_url": "", "subtitle_vtt_url": ""}


def asset_urls(asset_id: str, base_url: str | None = None) -> dict[str, str]:
    """Signed links to each file the asset has; "" for a file it lacks (e.g. no subtitles were made)."""
    return urls_of(Asset.objects.filter(pk=asset_id).first(), base_url)


def urls_of(asset, base_url: str | None = None) -> dict[str, str]:
    """asset_urls() of an asset already loaded (None: no URLs)."""
    if asset is None:
        return dict(NO_URLS)
    files = {"cover_url": ("cover", asset.cover), "preview_video_url": ("file", asset.file),
             "subtitle_srt_url": ("srt", asset.subtitle_srt), "subtitle_vtt_url": ("vtt", asset.subtitle_vtt)}
    return {key: signed_url(asset, kind, absolute_base=base_url) if field else ""
            for key, (kind, field) in files.items()}
