"""The project dashboard: members only, foreign projects look unknown, the nav follows the role."""
from __future__ import annotations

import pytest

from composer.jobs.models import VideoJob
from composer.scripts.services import create_script
from composer.teams.models import Membership, Role
from tests.support.factories import create_composition

pytestmark = pytest.mark.django_db


def test_it_shows_scripts_jobs_and_members(client, alice, project):
    create_script(project, {"script_name": "Spring <launch>", **create_composition()}, user=alice)
    VideoJob.objects.create(project=project, created_by=alice, spec={}, asset_name="Teaser")
    client.force_login(alice)
    page = client.get(f"/p/{project.id}/").content.decode()
    assert "Spring &lt;launch&gt;" in page
    assert "Teaser" in page and "bob" in page


def test_it_hides_foreign_projects(client, charlie, project):
    client.force_login(charlie)
    assert client.get(f"/p/{project.id}/").status_code == 404


def test_it_requires_sign_in(client, project):
    response = client.get(f"/p/{project.id}/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_the_navigation_follows_the_role(client, alice, bob, project, django_user_model):
    viewer = django_user_model.objects.create_user(username="vera", password="x")
    Membership.objects.create(project=project, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    page = client.get(f"/p/{project.id}/").content.decode()
    assert "Dashboard" in page and "Audit log" not in page and "API keys" not in page


def test_approvers_see_what_waits_for_them(client, alice, bob, project):
    from composer.scripts.approvals import request_approval

    script = create_script(project, {"script_name": "Teaser", **create_composition()}, user=alice)
    request_approval(script, {}, user=alice)
    client.force_login(bob)
    page = client.get(f"/p/{project.id}/").content.decode()
    assert "1 script is waiting for your approval" in page and f"/p/{project.id}/approvals" in page
    client.force_login(alice)  # her own request waits for someone else
    assert "waiting for your approval" not in client.get(f"/p/{project.id}/").content.decode()
