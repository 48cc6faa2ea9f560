"""Shared fixtures: users alice (editor), bob (approver), charlie (another project), their API clients, and the
embedded render worker."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from composer.teams.models import Membership, Project, Role
from composer.teams.services import create_access_key
from tests.support.users import make_user, token_client

# The official SDK writes a credentials cache under HOME; keep it out of the real home.
os.environ["HOME"] = tempfile.mkdtemp(prefix="composer-test-home-")
TESTS = Path(__file__).resolve().parent
# Each of these folders' tests carries its marker, whatever its module declares.
MARKED_FOLDERS = {TESTS / "e2e": pytest.mark.e2e, TESTS / "render": pytest.mark.render, TESTS / "scale": pytest.mark.scale}
SERIAL_GROUP = "one-at-a-time"


def pytest_collection_modifyitems(config, items):
    """Markers by place: `e2e` for tests/e2e (a browser), `scale` for tests/scale, and `render` for what renders
    video, tests/render and every test that starts the render worker. make test-fast leaves all three out."""
    for item in items:
        for folder, marker in MARKED_FOLDERS.items():
            if item.path.is_relative_to(folder):
                item.add_marker(marker)
        if "embedded_worker" in item.fixturenames:
            item.add_marker(pytest.mark.render)


def pytest_xdist_make_scheduler(config, log):
    """Under pytest-xdist (make test: `-n 2`) each browser module is a unit of work of its own and every other test
    is in one unit, SERIAL_GROUP: those run one after another in one worker, never beside each other (renders,
    memory peaks, the scale-out stacks, the fuzzing), while the browser modules, which mostly wait on their server
    and Chromium, run in the other worker. (pytest 9 no longer lets `--dist loadgroup` read xdist_group marks.)"""
    from xdist.scheduler import LoadScopeScheduling

    class BrowserModulesBesideTheRest(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module.startswith("tests/e2e/") else SERIAL_GROUP

    return BrowserModulesBesideTheRest(config, log)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Test users need no slow key stretching; production keeps Django's default hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.COMPOSER_DATA_DIR = tmp_path


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters and cached credentials key on primary keys, which rolled-back tests reuse.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def alice(django_user_model):
    return make_user(django_user_model, "alice")


@pytest.fixture
def bob(django_user_model):
    return make_user(django_user_model, "bob")


@pytest.fixture
def charlie(django_user_model):
    return make_user(django_user_model, "charlie")


@pytest.fixture
def project(alice, bob):
    # An API-driven project: full bodies render without a saved, approved script (tests of the approval
    # rules switch require_approval on themselves).
    project = Project.objects.create(name="launch", require_approval=False)
    Membership.objects.create(project=project, user=alice, role=Role.EDITOR)
    Membership.objects.create(project=project, user=bob, role=Role.APPROVER)
    return project


@pytest.fixture
def other_project(charlie):
    project = Project.objects.create(name="elsewhere")
    Membership.objects.create(project=project, user=charlie, role=Role.OWNER)
    return project


@pytest.fixture
def alice_client(alice, project):
    return token_client(alice)


@pytest.fixture
def bob_client(bob, project):
    return token_client(bob)


@pytest.fixture
def charlie_client(charlie, other_project):
    return token_client(charlie)


@pytest.fixture
def alice_key(alice, project):
    return create_access_key(alice, project)


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


@pytest.fixture(scope="module")
def standin(tmp_path_factory):
    """A second Composer server standing in for MetaStudio (tests/support/standin.py), one per test module."""
    from tests.support.standin import StandIn

    server = StandIn(tmp_path_factory.mktemp("standin"))
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def rendering_standin(tmp_path_factory):
    """A stand-in for MetaStudio that renders what it is sent with its own embedded worker."""
    from tests.support.standin import StandIn

    server = StandIn(tmp_path_factory.mktemp("standin"), renders=True)
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def remote_allowed(settings):
    """A MetaStudio endpoint on 127.0.0.1 (the stand-in) is allowed, its download links too; no retries."""
    settings.COMPOSER_REMOTE_ALLOW_PRIVATE = True
    settings.COMPOSER_FETCH_ALLOW_PRIVATE = True
    settings.COMPOSER_REMOTE_MAX_RETRIES = 0
