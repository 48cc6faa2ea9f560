"""The project's render target in /v1/{project_id}/project-settings: local by default, a MetaStudio account with
validation naming the field, the SK never answered and kept encrypted, owners only, audited without the SK."""
from __future__ import annotations

import io
import json

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from composer.lib import secrets_box
from composer.teams.models import AuditEntry, RenderTarget

pytestmark = pytest.mark.django_db
SK = "very-secret-sk-value-123"
TARGET = {"kind": "metastudio", "region": "cn-north-4", "remote_project_id": "0a1b2c3d4e5f", "ak": "AKREMOTE1",
          "sk": SK}


def settings_url(project) -> str:
    return f"/v1/{project.id}/project-settings"


def put_target(client, project, target: dict):
    return client.put(settings_url(project), {"render_target": target}, format="json")


def raw_sk_column(project) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sk_encrypted FROM teams_rendertarget WHERE project_id = %s", [project.id])
        return cursor.fetchone()[0]


def test_a_project_renders_here_by_default(charlie_client, other_project):
    body = charlie_client.get(settings_url(other_project)).json()
    assert body["render_target"] == {"kind": "local"}


def test_a_metastudio_target_is_kept_and_the_sk_never_answered(charlie_client, other_project):
    response = put_target(charlie_client, other_project, TARGET)
    assert response.status_code == 200, response.content
    for body in (response.json(), charlie_client.get(settings_url(other_project)).json()):
        target = body["render_target"]
        assert target["kind"] == "metastudio"
        assert target["endpoint"] == "https://metastudio.cn-north-4.myhuaweicloud.com"
        assert target["region"] == "cn-north-4"
        assert target["remote_project_id"] == "0a1b2c3d4e5f" and target["ak"] == "AKREMOTE1"
        assert target["sk_set"] is True
        assert target["connection"] == {"status": None, "detail": None, "checked_at": None}
        assert SK not in json.dumps(body) and "sk" not in target


def test_the_sk_is_encrypted_in_the_database(charlie_client, other_project):
    put_target(charlie_client, other_project, TARGET)
    stored = raw_sk_column(other_project)
    assert SK not in stored
    assert secrets_box.decrypt(stored) == SK


def test_rotation_new_key_first_old_key_still_opens(charlie_client, other_project, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.COMPOSER_SECRETS_KEYS = [old]
    put_target(charlie_client, other_project, TARGET)
    before = raw_sk_column(other_project)
    settings.COMPOSER_SECRETS_KEYS = [new, old]
    assert secrets_box.decrypt(before) == SK
    out = io.StringIO()
    call_command("rotate_secrets", stdout=out)
    assert "re-encrypted 1 secret(s)" in out.getvalue()
    settings.COMPOSER_SECRETS_KEYS = [new]
    assert secrets_box.decrypt(raw_sk_column(other_project)) == SK
    with pytest.raises(secrets_box.SecretsUnavailable):
        secrets_box.decrypt(before)


def test_production_without_keys_refuses_to_store_an_sk(charlie_client, other_project, settings):
    settings.PRODUCTION, settings.COMPOSER_SECRETS_KEYS = True, []
    response = put_target(charlie_client, other_project, TARGET)
    assert response.status_code == 400
    assert response.json()["error_msg"].startswith("render_target.sk: cannot be stored: COMPOSER_SECRETS_KEYS")
    assert not RenderTarget.objects.filter(project=other_project).exists()


def test_a_change_without_sk_keeps_the_stored_one(charlie_client, other_project):
    put_target(charlie_client, other_project, TARGET)
    response = put_target(charlie_client, other_project, {"kind": "metastudio", "remote_project_id": "other"})
    assert response.status_code == 200, response.content
    assert response.json()["render_target"]["remote_project_id"] == "other"
    assert secrets_box.decrypt(raw_sk_column(other_project)) == SK
    changed_ak = put_target(charlie_client, other_project, {"kind": "metastudio", "ak": "AKNEW"})
    assert changed_ak.status_code == 400
    assert changed_ak.json()["error_msg"].startswith("render_target.sk: is required")


@pytest.mark.parametrize("change, message", [
    ({"kind": "cloud"}, "render_target.kind: must be one of local, metastudio"),
    ({"endpoint": "http://metastudio.example.com", "region": None}, "render_target.endpoint: must be an https://"),
    ({"endpoint": "https://127.0.0.1:8443", "region": None}, "render_target.endpoint: must be a public host"),
    ({"endpoint": "https://10.1.2.3", "region": None}, "render_target.endpoint: must be a public host"),
    ({"endpoint": "https://localhost", "region": None}, "render_target.endpoint: must be a public host"),
    ({"endpoint": "https://ms.example.com/v1", "region": None}, "render_target.endpoint: must be scheme://host"),
    ({"region": "mars-1"}, "render_target.region: must be one of cn-north-4, cn-east-3"),
    ({"remote_project_id": "a b"}, "render_target.remote_project_id: is required"),
    ({"ak": ""}, "render_target.ak: is required"),
    ({"sk": "has space"}, "render_target.sk: must be a non-empty string"),
    ({"colour": "red"}, "render_target.colour: not a field of a metastudio target"),
])
def test_bad_targets_are_refused_naming_the_field(charlie_client, other_project, change, message):
    target = {**TARGET, **change}
    target = {k: v for k, v in target.items() if not (k == "region" and v is None)}
    response = put_target(charlie_client, other_project, target)
    assert response.status_code == 400
    assert response.json()["error_msg"].startswith(message), response.json()


def test_a_custom_https_endpoint_is_accepted(charlie_client, other_project):
    target = {k: v for k, v in TARGET.items() if k != "region"} | {"endpoint": "https://metastudio.example.com/"}
    response = put_target(charlie_client, other_project, target)
    assert response.json()["render_target"]["endpoint"] == "https://metastudio.example.com"
    assert response.json()["render_target"]["region"] is None


def test_private_endpoints_only_when_allowed(charlie_client, other_project, settings):
    settings.COMPOSER_REMOTE_ALLOW_PRIVATE = True
    target = {k: v for k, v in TARGET.items() if k != "region"} | {"endpoint": "http://127.0.0.1:8123"}
    assert put_target(charlie_client, other_project, target).status_code == 200


def test_only_owners_change_the_target(alice_client, project):
    response = put_target(alice_client, project, TARGET)
    assert response.status_code == 403
    assert "project.render_target" in response.json()["error_msg"] or "project.manage" in response.json()["error_msg"]


def test_changes_are_audited_without_the_sk(charlie_client, other_project):
    put_target(charlie_client, other_project, TARGET)
    put_target(charlie_client, other_project, {"kind": "local"})
    entries = list(AuditEntry.objects.filter(project=other_project, action="project.render_target"))
    assert [e.detail["kind"] for e in entries] == ["local", "metastudio"]
    assert all(SK not in json.dumps(e.detail) for e in entries)
    assert entries[1].detail["ak"] == "AKREMOTE1" and entries[1].detail["sk_changed"] is True
    assert charlie_client.get(settings_url(other_project)).json()["render_target"] == {"kind": "local"}
    assert raw_sk_column(other_project) == ""


def test_approval_rules_and_target_change_together(charlie_client, other_project):
    response = charlie_client.put(settings_url(other_project),
                                  {"require_approval": False, "render_target": TARGET}, format="json")
    assert response.status_code == 200
    assert response.json()["require_approval"] is False and response.json()["render_target"]["sk_set"]
    refused = charlie_client.put(settings_url(other_project),
                                 {"require_approval": True, "render_target": {"kind": "x"}}, format="json")
    assert refused.status_code == 400
    assert charlie_client.get(settings_url(other_project)).json()["require_approval"] is False
