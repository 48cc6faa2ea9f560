"""The API's rate limit: COMPOSER_API_RATE_PER_MINUTE requests per principal in each clock minute.

The principal is whoever the request authenticated as: the access key (AK/SK), the token, or the signed-in user;
anonymous calls (the schema, share pages' API) count per client address. A fixed one-minute window counted with
the cache's atomic increment costs one round trip a request on Redis, whatever the limit (a sliding log of timestamps
would cost as many entries as the limit); the price is that a client may burst up to twice the rate across a
minute's boundary. Over the limit the answer is 429 with Retry-After, in the spec's error body.
"""
from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from composer.lib.outage import unavailable_service, warn_once_a_minute

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60


def principal(request) -> str:
    auth = getattr(request, "auth", None)
    if auth is not None and getattr(auth, "pk", None) is not None:
        return f"{type(auth).__name__}:{auth.pk}"
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    return "address:" + (request.META.get("REMOTE_ADDR") or "unknown")


def _count(key: str) -> int:
    """One more request in the window `key`: one round trip on Redis (composer.lib.redis_pool), add and incr on
    another cache."""
    if hasattr(cache, "count"):
        return cache.count(key, WINDOW_SECONDS * 2)
    cache.add(key, 0, WINDOW_SECONDS * 2)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS * 2)
        return 1


class PrincipalRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        limit = settings.COMPOSER_API_RATE_PER_MINUTE
        if limit <= 0:
            return True
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        key = f"api-rate:{principal(request)}:{window}"
        try:
            count = _count(key)
        except Exception as exc:
            if unavailable_service(exc) is None:
                raise
            # The shared cache (Redis) is down: serve rather than refuse everyone.
            warn_once_a_minute(log, "the cache is unavailable: API requests are not rate-limited")
            return True
        self._wait = (window + 1) * WINDOW_SECONDS - now
        return count <= limit

    def wait(self) -> float:
        return max(1.0, getattr(self, "_wait", WINDOW_SECONDS))
