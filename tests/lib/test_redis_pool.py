"""The Redis cache of a scale-out deployment: one client per process, counters in one round trip, and the API's
rate limit on them. Needs a real Redis (SCALE_REDIS_URL, as `make test` sets it from REDIS_URL)."""
from __future__ import annotations

import os
import uuid

import pytest

from composer.lib.redis_pool import SharedRedisCache

URL = os.environ.get("SCALE_REDIS_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="needs SCALE_REDIS_URL (a real Redis)")

OPTIONS = {"pool_class": "composer.lib.redis_pool.SharedConnectionPool"}


def fresh_cache() -> SharedRedisCache:
    return SharedRedisCache(URL, {"KEY_PREFIX": f"composer-test-{uuid.uuid4().hex[:8]}", "OPTIONS": OPTIONS})


def test_cache_objects_share_one_client_and_pool():
    first, second = fresh_cache(), fresh_cache()
    assert first._cache.get_client() is second._cache.get_client()
    assert first._cache.get_client(write=True).connection_pool is second._cache.get_client().connection_pool


def test_count_adds_one_and_expires():
    cache = fresh_cache()
    assert [cache.count("hits", 120) for _ in range(3)] == [1, 2, 3]
    assert cache.get("hits") == 3
    assert 0 < cache._cache.get_client().ttl(cache.make_and_validate_key("hits")) <= 120
    assert cache.count("other", 120) == 1
    cache.delete_many(["hits", "other"])


@pytest.mark.django_db
def test_the_rate_limit_counts_in_redis(settings, alice_client, bob_client, project):
    settings.CACHES = {"default": {"BACKEND": "composer.lib.redis_pool.SharedRedisCache", "LOCATION": URL,
                                   "KEY_PREFIX": f"composer-test-{uuid.uuid4().hex[:8]}", "OPTIONS": OPTIONS}}
    settings.COMPOSER_API_RATE_PER_MINUTE = 3
    url = f"/v1/{project.id}/digital-human-videos"
    assert [alice_client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = alice_client.get(url)
    assert refused.status_code == 429
    assert refused.json()["error_code"] == "APIG.0308"
    assert bob_client.get(url).status_code == 200
