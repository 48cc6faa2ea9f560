"""Signed downloads of asset files (renders, covers, subtitles)."""
from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404

from composer.assets.models import Asset
from composer.assets.signing import verify

FIELD_BY_KIND = {"file": "file", "cover": "cover", "srt": "subtitle_srt", "vtt": "subtitle_vtt"}


def download(request, asset_id: str, kind: str):
    if not verify(asset_id, kind, request.GET.get("expires"), request.GET.get("signature", "")):
        raise Http404("link expired or invalid")
    asset = Asset.objects.filter(pk=asset_id).exclude(state="DELETED").first()
    field = getattr(asset, FIELD_BY_KIND.get(kind, ""), None) if asset else None
    if not field:
        raise Http404("no such file")
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    ext = field.name.rsplit(".", 1)[-1]
    filename = f"{asset.name[:200] or asset.id}{'' if kind == 'file' else '-' + kind}.{ext}"
    as_attachment = request.GET.get("download") == "1"
    return FileResponse(field.open("rb"), content_type=content_type, as_attachment=as_attachment,
                        filename=filename)
