"""One use per AK/SK signature for requests that change something.

The SDK-HMAC-SHA256 scheme has no nonce: a signed request stays valid while its X-Sdk-Date is within
COMPOSER_SIGNATURE_MAX_SKEW_SECONDS of the server's clock, so whoever sees one (a log, a proxy) could send it
again. A POST, PUT, PATCH or DELETE whose signature was already accepted is refused until the date leaves the
window, after which the date check refuses it anyway. The seen signatures live in Django's cache (Redis when
REDIS_URL is set, so that every web process shares them) with that remaining lifetime; reads are not tracked.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from rest_framework import exceptions

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def seen_key(ak: str, signature: str) -> str:
    return "aksk-seen:" + hashlib.sha256(f"{ak}:{signature.lower()}".encode()).hexdigest()


def refuse_replay(method: str, ak: str, signature: str, signed_at: datetime) -> None:
    """Record a verified signature of a request that changes something; AuthenticationFailed if it was seen."""
    if method.upper() in SAFE_METHODS:
        return
    remaining = (signed_at - timezone.now()).total_seconds() + settings.COMPOSER_SIGNATURE_MAX_SKEW_SECONDS
    if not cache.add(seen_key(ak, signature), 1, timeout=max(1, int(remaining) + 1)):
        raise exceptions.AuthenticationFailed(
            "Authorization: this signed request was already received (a replay); sign each request anew")
