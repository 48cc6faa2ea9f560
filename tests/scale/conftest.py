"""Scale-out suite: the production web command plus two `celery worker` processes on PostgreSQL and Redis.

Runs when SCALE_DATABASE_URL and SCALE_REDIS_URL are set (`make test` maps DATABASE_URL/REDIS_URL to them).
Each run uses a fresh PostgreSQL database and its own Celery queue, so it never touches other data.
"""
from __future__ import annotations

import os

import pytest

from tests.support.stack import Stack

DATABASE_URL = os.environ.get("SCALE_DATABASE_URL", "")
REDIS_URL = os.environ.get("SCALE_REDIS_URL", "")

pytestmark = pytest.mark.scale


def pytest_collection_modifyitems(config, items):
    if DATABASE_URL and REDIS_URL:
        return
    skip = pytest.mark.skip(reason="scale-out suite: set DATABASE_URL and REDIS_URL (PostgreSQL and Redis)")
    for item in items:
        if "tests/scale" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="module")
def cluster(request, tmp_path_factory):
    """A stack per test module; a module's STACK_ENV (if any) adds to or overrides the stack's settings."""
    cluster = Stack(tmp_path_factory.mktemp("scale"), database_url=DATABASE_URL, redis_url=REDIS_URL,
                    env=getattr(request.module, "STACK_ENV", None))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
