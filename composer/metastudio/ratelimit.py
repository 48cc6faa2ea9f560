"""Token buckets: at most `rate` calls a second to one MetaStudio account, in bursts of at most `burst`.

One bucket per key (our project id) per process, shared by every client of that project in the process."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    def __init__(self, rate: float, burst: int, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        if rate <= 0 or burst < 1:
            raise ValueError("a token bucket needs rate > 0 and burst >= 1")
        self.rate, self.burst = float(rate), burst
        self._clock, self._sleep = clock, sleep
        self._tokens = float(burst)
        self._at = clock()
        self._lock = threading.Lock()

    def _wait_for_token(self) -> float:
        """Take a token if there is one (0.0), else the seconds until there will be one."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
            self._at = now
            if self._tokens >= 1:
                self._tokens -= 1
                return 0.0
            return (1 - self._tokens) / self.rate

    def acquire(self) -> None:
        """Wait until a call may go out, then take its token."""
        while (wait := self._wait_for_token()) > 0:
            self._sleep(wait)


_buckets: dict[str, TokenBucket] = {}
_registry_lock = threading.Lock()


def bucket_for(key: str, rate: float, burst: int) -> TokenBucket:
    """The process's bucket for `key`, made on first use (a changed rate or burst makes a new one)."""
    with _registry_lock:
        bucket = _buckets.get(key)
        if bucket is None or (bucket.rate, bucket.burst) != (float(rate), burst):
            bucket = _buckets[key] = TokenBucket(rate, burst)
        return bucket
