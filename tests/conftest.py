"""Shared fixtures: users alice (editor), bob (approver), charlie (another project), and their API clients."""
from __future__ import annotations

import os
import tempfile

import pytest
from rest_framework.test import APIClient

from composer.teams.models import Membership, Project, Role
from composer.teams.services import create_access_key, create_auth_token

# The official SDK writes a credentials cache under HOME; keep it out of the real home.
os.environ["HOME"] = tempfile.mkdtemp(prefix="composer-test-home-")


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


def make_user(django_user_model, username: str):
    return django_user_model.objects.create_user(username=username, password=f"{username}-pass-123",
                                                 email=f"{username}@example.com")


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


def token_client(user) -> APIClient:
    client = APIClient()
    _, token = create_auth_token(user)
    client.credentials(HTTP_X_AUTH_TOKEN=token)
    return client


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
