"""Waiting on a real condition, with a deadline."""
from __future__ import annotations

import time


def wait_for(predicate, timeout: float = 120, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
