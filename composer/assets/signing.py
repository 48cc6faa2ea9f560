"""Time-limited signed download URLs (like object-storage presigned URLs).

Only a caller who was authorised to see the asset receives its URL, so the URL itself is the proof; it works
for the SDK, <video> elements and plain downloads without sharing credentials.
"""
from __future__ import annotations

import time

from django.conf import settings
from django.core.signing import BadSignature, Signer
from django.urls import reverse

FILE_KINDS = ("file", "cover", "srt", "vtt")
DEFAULT_TTL_SECONDS = 24 * 3600
_signer = Signer(salt="composer.assets.download")


def _payload(asset_id: str, kind: str, expires: int) -> str:
    return f"{asset_id}:{kind}:{expires}"


def signed_url(asset, kind: str, *, ttl: int = DEFAULT_TTL_SECONDS, absolute_base: str | None = None) -> str:
    expires = int(time.time()) + ttl
    # Round the expiry so repeated calls within an hour give the same URL (players cache by URL).
    expires -= expires % 3600
    expires += 3600
    signature = _signer.signature(_payload(asset.id, kind, expires))
    path = reverse("asset-download", kwargs={"asset_id": asset.id, "kind": kind})
    base = settings.COMPOSER_PUBLIC_URL or absolute_base or ""
    return f"{base.rstrip('/')}{path}?expires={expires}&signature={signature}"


def verify(asset_id: str, kind: str, expires: str, signature: str) -> bool:
    try:
        expires_at = int(expires)
    except (TypeError, ValueError):
        return False
    if expires_at < time.time() or kind not in FILE_KINDS:
        return False
    try:
        _signer.unsign(f"{_payload(asset_id, kind, expires_at)}{_signer.sep}{signature}")
    except BadSignature:
        return False
    return True
