"""One Redis connection pool per process for Django's cache.

Django's Redis cache keeps its connection pool on the cache object, and under ASGI each request runs in a thread
of its own with cache objects of its own: every request would open (and leave) a new Redis connection. The cache
is configured with this pool class, which hands every cache object the process's one pool for the same URL."""
from __future__ import annotations

import threading

import redis


class SharedConnectionPool(redis.ConnectionPool):
    _shared: dict[tuple, SharedConnectionPool] = {}
    _lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, **kwargs) -> SharedConnectionPool:
        key = (url, tuple(sorted((name, repr(value)) for name, value in kwargs.items())))
        with cls._lock:
            pool = cls._shared.get(key)
            if pool is None:
                pool = cls._shared[key] = super().from_url(url, **kwargs)
        return pool
