"""Django's Redis cache, made cheap per request: one connection pool and one client per process, and counters in
one round trip.

Django's Redis cache keeps its connection pool on the cache object, and under ASGI each request runs in a thread
of its own with cache objects of its own: every request would open (and leave) a new Redis connection. The cache
is configured with this pool class, which hands every cache object the process's one pool for the same URL.
Django also builds a new `redis.Redis` for every command (about as much CPU as the command's round trip: the
client's table of reply handlers); SharedRedisCache keeps one per pool (a client is safe to share between
threads: each command takes a connection from the pool). `count()` adds one to a counter that expires, in one
round trip where Django's add() and incr() take three."""
from __future__ import annotations

import threading

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient


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


_client_lock = threading.Lock()


class SharedClientCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = getattr(pool, "composer_client", None)
        if client is None:
            with _client_lock:
                client = getattr(pool, "composer_client", None)
                if client is None:
                    client = pool.composer_client = self._client(connection_pool=pool)
        return client


class SharedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientCacheClient

    def count(self, key: str, timeout: int) -> int:
        """Add one to the counter `key`, which starts at 0 and expires `timeout` seconds after it started; the
        new count."""
        key = self.make_and_validate_key(key)
        pipeline = self._cache.get_client(key, write=True).pipeline(transaction=False)
        pipeline.set(key, 0, ex=timeout, nx=True)
        pipeline.incr(key)
        return pipeline.execute()[1]
