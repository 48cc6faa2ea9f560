"""Signed downloads of asset files (renders, covers, subtitles)."""
from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404

from composer.assets.models import Asset, AssetState
from composer.assets.signing import verify

FIELD_BY_KIND = {"file": "file", "cover": "cover", "srt": "subtitle_srt", "vtt": "subtitle_vtt"}


def download_filename(asset: Asset, kind: str, ext: str) -> str:
    """What a download is saved as: the video's own name ("Spring sale.mp4", "Spring sale.srt", "Spring sale
    cover.jpg"), without characters that are path separators or unprintable on common systems."""
    name = "".join(" " if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in asset.name)
    name = " ".join(name.split()).strip(". ")[:200] or asset.id
    return f"{name}{' cover' if kind == 'cover' else ''}.{ext}"


def serve_asset_file(asset: Asset | None, kind: str, *, as_attachment: bool) -> FileResponse:
    """One stored file of an asset (file, cover, srt, vtt), inline or as a download named after the asset."""
    field = getattr(asset, FIELD_BY_KIND.get(kind, ""), None) if asset else None
    if not field:
        raise Http404("no such file")
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    ext = field.name.rsplit(".", 1)[-1]
    return FileResponse(field.open("rb"), content_type=content_type, as_attachment=as_attachment,
                        filename=download_filename(asset, kind, ext))


def download(request, asset_id: str, kind: str):
    if not verify(asset_id, kind, request.GET.get("expires"), request.GET.get("signature", "")):
        raise Http404("link expired or invalid")
    asset = Asset.objects.filter(pk=asset_id).exclude(state=AssetState.DELETED).first()
    return serve_asset_file(asset, kind, as_attachment=request.GET.get("download") == "1")
