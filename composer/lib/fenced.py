"""Rows read on every request, kept in this process's memory and trusted only while their *fence* is unchanged.

A fence is a random value kept in the shared cache (Redis when REDIS_URL is set) under the row's key. A lookup
reads the fence (one cache round trip instead of a database query) and serves this process's copy while the copy
was made under the same fence and is younger than the copies' lifetime. Changing the row moves its fence, so
every process reads it again on its next request. Only values leave the process: the shared cache holds fences,
never the rows. When the shared cache cannot be reached, lookups go to the database; a change that cannot move
the fence raises, so that the caller's transaction is rolled back rather than left to cached copies.

A fence is moved twice for a change made in a transaction: at once, and again once the transaction commits, so a
copy read between the two (which still saw the old row) carries a fence that is already gone.
"""
from __future__ import annotations

import logging
import pickle
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

from composer.lib.outage import unavailable_service, warn_once_a_minute

log = logging.getLogger(__name__)

# A fence outlives every copy made under the fence before it, so an expired fence never revives an old copy.
FENCE_SECONDS = 24 * 3600


class FencedCopies:
    """This process's copies of one kind of row, keyed `<prefix>:<ident>`, each kept at most `seconds()` seconds
    (a callable, so that settings changed by tests and operators apply) and at most `limit` of them."""

    def __init__(self, prefix: str, seconds: Callable[[], float], *, limit: int = 2048):
        self.prefix = prefix
        self.seconds = seconds
        self.limit = limit
        self._lock = threading.Lock()
        self._kept: OrderedDict[str, tuple[Any, float, bytes]] = OrderedDict()  # key -> (fence, expires, pickle)

    def key(self, ident: str) -> str:
        return f"{self.prefix}:{ident}"

    def lookup(self, ident: str, load: Callable[[], Any]) -> Any:
        """What `load` reads from the database for `ident`, served from this process's copy while its fence is
        unchanged. A None (nothing found) is never kept."""
        key = self.key(ident)
        try:
            fence = cache.get(key)
        except Exception as exc:
            if unavailable_service(exc) is None:
                raise
            warn_once_a_minute(log, f"the cache is unavailable: {self.prefix} rows are read from the database")
            return load()
        now = time.monotonic()
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and kept[0] == fence and kept[1] > now:
                self._kept.move_to_end(key)
                return pickle.loads(kept[2])
        row = load()
        if row is not None:
            copy = pickle.dumps(row)
            with self._lock:
                self._kept[key] = (fence, now + self.seconds(), copy)
                self._kept.move_to_end(key)
                while len(self._kept) > self.limit:
                    self._kept.popitem(last=False)
        return row

    def _move(self, keys: list[str]) -> None:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, FENCE_SECONDS)
        with self._lock:
            for key in keys:
                self._kept.pop(key, None)

    def forget(self, idents: Iterable[str]) -> None:
        """Make every process read these rows from the database again: now (raising when the shared cache refuses)
        and once the change is committed."""
        keys = [self.key(ident) for ident in idents]
        if not keys:
            return
        self._move(keys)

        def after_commit() -> None:
            try:
                self._move(keys)
            except Exception:
                log.error("could not move the fences of %s rows after commit; copies expire within %s s",
                          self.prefix, self.seconds(), exc_info=True)

        transaction.on_commit(after_commit)
