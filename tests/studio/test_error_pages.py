"""The studio's 403/404/400/500 pages say why in words and where to go; the API keeps its JSON error bodies."""
from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from composer.studio.errors import server_error
from composer.teams.models import Membership, Role
from tests.support.users import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(project, django_user_model):
    user = make_user(django_user_model, "vic")
    Membership.objects.create(project=project, user=user, role=Role.VIEWER)
    return user


def test_it_names_the_role_the_action_needs_and_links_back(client, viewer, project):
    client.force_login(viewer)
    response = client.get(reverse("presenter-builder", args=[project.id]))
    page = response.content.decode()
    assert response.status_code == 403
    assert f"You are a viewer in {project.name}; creating presenters needs the editor, approver or owner role." in page
    assert f'href="{reverse("project", args=[project.id])}"' in page and f"Back to {project.name}" in page
    assert 'data-error-page="403"' in page and "asset.create" not in page


def test_the_audit_log_needs_an_owner_or_approver(client, viewer, project):
    client.force_login(viewer)
    page = client.get(reverse("audit", args=[project.id])).content.decode()
    assert "reading the audit log needs the approver or owner role" in page


def test_an_unknown_script_is_a_styled_404_with_ways_back(client, alice, project):
    client.force_login(alice)
    response = client.get(reverse("editor", args=[project.id, "no-such-script"]))
    page = response.content.decode()
    assert response.status_code == 404 and 'data-error-page="404"' in page
    assert reverse("scripts", args=[project.id]) in page and reverse("home") in page
    assert "script_id" not in page


def test_a_foreign_project_is_a_404_without_its_name(client, charlie, project):
    client.force_login(charlie)
    response = client.get(reverse("scripts", args=[project.id]))
    assert response.status_code == 404 and project.name not in response.content.decode()
    assert "Your projects" in response.content.decode()


@pytest.mark.parametrize("path", ["/no/such/page", "/p/x/"])
def test_unresolved_urls_get_the_studio_404_without_debug(client, alice, settings, path):
    settings.DEBUG = False
    client.force_login(alice)
    response = client.get(path)
    assert response.status_code == 404 and 'data-error-page="404"' in response.content.decode()


def test_the_500_page_is_the_studios(rf):
    response = server_error(rf.get("/p/x/scripts"))
    assert response.status_code == 500 and 'data-error-page="500"' in response.content.decode()


def test_api_errors_stay_json(alice_client, project):
    response = alice_client.get(f"/v1/{project.id}/digital-human-video-scripts/nope")
    assert response.status_code == 404 and response.json()["error_code"] == "MSS.00000005"
    response = Client().get(f"/v1/{project.id}/nothing-here")
    assert response["Content-Type"].startswith("application/json")
