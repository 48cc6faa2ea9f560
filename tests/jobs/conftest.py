from __future__ import annotations

import time

import pytest


@pytest.fixture
def embedded_worker(settings):
    """The real embedded Celery worker thread, as `make run` starts it (started once per test process)."""
    from composer.jobs.worker import start_embedded_worker

    settings.COMPOSER_HEARTBEAT_SECONDS = 1
    start_embedded_worker(recover=False)
    return True


@pytest.fixture(scope="session", autouse=True)
def _stop_reaper_at_exit():
    yield
    from composer.jobs import worker

    if worker._reaper is not None:
        worker._reaper.stopped.set()
        worker._reaper.join(timeout=5)


def wait_for(predicate, timeout: float = 120, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
