"""API credentials: members issue and revoke their own AK/SK pairs and tokens; secrets are shown once."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from composer.teams.models import AccessKey, AuditEntry, AuthToken, Membership, Role
from composer.teams.permissions import MATRIX
from tests.support.sdk import signed_get
from tests.support.users import make_user, token_client

pytestmark = pytest.mark.django_db


def test_a_created_key_shows_its_secret_once_and_signs_requests(alice_client, project):
    created = alice_client.post(f"/v1/{project.id}/access-keys", {"description": "CI"}, format="json")
    assert created.status_code == 200, created.content
    key = created.json()
    assert key["description"] == "CI" and key["sk"] and key["ak"]
    assert AuditEntry.objects.filter(project=project, action="accesskey.create", detail__ak=key["ak"]).exists()

    listed = alice_client.get(f"/v1/{project.id}/access-keys").json()
    assert [k["ak"] for k in listed["access_keys"]] == [key["ak"]]
    assert "sk" not in listed["access_keys"][0]
    assert key["sk"] not in str(listed)

    path = f"/v1/{project.id}/digital-human-videos"
    assert signed_get(key["ak"], key["sk"], project.id, path).status_code == 200
    assert alice_client.get(f"/v1/{project.id}/access-keys").json()["access_keys"][0]["last_used_time"]
    assert signed_get(key["ak"], "not-the-secret", project.id, path).status_code == 401


def test_a_revoked_key_stops_working(alice_client, alice_key, project):
    path = f"/v1/{project.id}/digital-human-videos"
    assert signed_get(alice_key.ak, alice_key.sk, project.id, path).status_code == 200
    assert alice_client.delete(f"/v1/{project.id}/access-keys/{alice_key.ak}").status_code == 204
    assert signed_get(alice_key.ak, alice_key.sk, project.id, path).status_code == 401
    assert alice_client.get(f"/v1/{project.id}/access-keys").json()["count"] == 0
    assert AuditEntry.objects.filter(project=project, action="accesskey.revoke", detail__ak=alice_key.ak).exists()
    # Revoking twice: the key is gone from the caller's keys.
    assert alice_client.delete(f"/v1/{project.id}/access-keys/{alice_key.ak}").status_code == 404


def test_other_users_keys_are_not_found(alice_key, bob_client, charlie_client, project, other_project):
    assert bob_client.delete(f"/v1/{project.id}/access-keys/{alice_key.ak}").status_code == 404
    assert alice_key.ak not in str(bob_client.get(f"/v1/{project.id}/access-keys").json())
    # Another project's member cannot reach the project at all, nor revoke through their own project.
    assert charlie_client.delete(f"/v1/{project.id}/access-keys/{alice_key.ak}").status_code == 403
    assert charlie_client.delete(f"/v1/{other_project.id}/access-keys/{alice_key.ak}").status_code == 404
    assert AccessKey.objects.get(pk=alice_key.pk).revoked_at is None


def test_a_long_description_is_refused_with_the_rule(alice_client, project):
    response = alice_client.post(f"/v1/{project.id}/access-keys", {"description": "x" * 200}, format="json")
    assert response.status_code == 400
    assert response.json()["error_msg"].startswith("description: must be text of at most 128 characters")


def test_tokens_show_once_authenticate_and_revoke(alice, project):
    client = token_client(alice)
    created = client.post(f"/v1/{project.id}/auth-tokens", {"description": "laptop"}, format="json").json()
    token = created["token"]
    assert token.startswith(created["prefix"])
    listed = client.get(f"/v1/{project.id}/auth-tokens").json()
    assert created["id"] in [t["id"] for t in listed["auth_tokens"]]
    assert token not in str(listed)
    assert AuthToken.objects.get(pk=created["id"]).digest != token

    fresh = APIClient()
    fresh.credentials(HTTP_X_AUTH_TOKEN=token)
    assert fresh.get(f"/v1/{project.id}/digital-human-videos").status_code == 200
    assert client.delete(f"/v1/{project.id}/auth-tokens/{created['id']}").status_code == 204
    assert fresh.get(f"/v1/{project.id}/digital-human-videos").status_code == 401
    actions = set(AuditEntry.objects.filter(project=project).values_list("action", flat=True))
    assert {"authtoken.create", "authtoken.revoke"} <= actions


def test_another_users_token_is_not_found(alice, alice_client, bob_client, project):
    row = AuthToken.objects.get(user=alice)  # alice_client's token
    assert bob_client.delete(f"/v1/{project.id}/auth-tokens/{row.id}").status_code == 404
    assert bob_client.delete(f"/v1/{project.id}/auth-tokens/not-a-number").status_code == 404
    assert AuthToken.objects.get(pk=row.id).revoked_at is None


@pytest.mark.parametrize("role", list(Role))
def test_roles_follow_the_matrix(django_user_model, project, role):
    user = make_user(django_user_model, f"u-{role}")
    Membership.objects.create(project=project, user=user, role=role)
    client = token_client(user)
    allowed = role in MATRIX["keys.manage"]
    for method, path in [("get", "access-keys"), ("post", "access-keys"), ("get", "auth-tokens"),
                         ("post", "auth-tokens")]:
        response = getattr(client, method)(f"/v1/{project.id}/{path}", {}, format="json")
        assert response.status_code == (200 if allowed else 403), (method, path, response.content)


def test_owners_change_the_approval_settings(django_user_model, alice_client, project):
    olga = make_user(django_user_model, "olga")
    Membership.objects.create(project=project, user=olga, role=Role.OWNER)
    owner = token_client(olga)
    url = f"/v1/{project.id}/project-settings"
    changed = owner.put(url, {"require_approval": True, "allow_self_approval": True}, format="json")
    assert changed.json() == {"project_id": project.id, "name": project.name, "require_approval": True,
                              "allow_self_approval": True, "render_target": {"kind": "local"}}
    assert alice_client.get(url).json()["require_approval"] is True
    assert alice_client.put(url, {"require_approval": False}, format="json").status_code == 403
    bad = owner.put(url, {"require_approval": "yes"}, format="json")
    assert bad.json()["error_msg"] == "require_approval: must be true or false"
    unknown = owner.put(url, {"name": "renamed"}, format="json")
    assert unknown.json()["error_msg"].startswith("name: not a project setting")
    assert AuditEntry.objects.filter(project=project, action="project.settings").count() == 1
