"""A project whose render target is a MetaStudio account, against a second Composer server standing in for
MetaStudio (started here on another port; COMPOSER_REMOTE_ALLOW_PRIVATE lets a loopback endpoint in): the
connection test with the right and a wrong SK, importing its avatars and voices, and our client's job calls."""
from __future__ import annotations

import pytest

from tests.support.factories import create_body

pytestmark = pytest.mark.django_db


def point_at(client, project, standin, *, sk: str | None = None):
    target = {"kind": "metastudio", "endpoint": standin.base, "remote_project_id": standin.project_id,
              "ak": standin.ak, "sk": sk or standin.sk}
    response = client.put(f"/v1/{project.id}/project-settings", {"render_target": target}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["render_target"]


def test_connection_ok_is_answered_and_shown_in_settings(standin, remote_allowed, charlie_client, other_project):
    point_at(charlie_client, other_project, standin)
    answer = charlie_client.post(f"/v1/{other_project.id}/project-settings/render-target/test")
    assert answer.status_code == 200
    assert answer.json() == {"ok": True}
    shown = charlie_client.get(f"/v1/{other_project.id}/project-settings").json()["render_target"]["connection"]
    assert shown["status"] == "ok" and shown["detail"] is None and shown["checked_at"]


def test_a_wrong_sk_is_said_to_be_refused_credentials(standin, remote_allowed, charlie_client, other_project):
    point_at(charlie_client, other_project, standin, sk="not-the-right-secret")
    answer = charlie_client.post(f"/v1/{other_project.id}/project-settings/render-target/test").json()
    assert answer["ok"] is False
    assert answer["error_msg"].startswith(f"MetaStudio refused the credentials (AK {standin.ak}, project "
                                          f"{standin.project_id}): ")
    assert "signature does not match" in answer["error_msg"]
    assert answer["error_code"] == "MSS.00000001"
    shown = charlie_client.get(f"/v1/{other_project.id}/project-settings").json()["render_target"]["connection"]
    assert shown["status"] == "failing" and shown["detail"] == answer["error_msg"]


def test_a_server_that_is_not_there_is_said_in_words(remote_allowed, charlie_client, other_project):
    from tests.support.servers import free_port

    target = {"kind": "metastudio", "endpoint": f"http://127.0.0.1:{free_port()}", "remote_project_id": "p",
              "ak": "AK", "sk": "SK"}
    charlie_client.put(f"/v1/{other_project.id}/project-settings", {"render_target": target}, format="json")
    answer = charlie_client.post(f"/v1/{other_project.id}/project-settings/render-target/test").json()
    assert answer["ok"] is False and "could not be reached (ConnectError)" in answer["error_msg"]


def test_only_owners_test_and_a_local_project_is_told_to_set_a_target(alice_client, project, charlie_client,
                                                                       other_project):
    assert alice_client.post(f"/v1/{project.id}/project-settings/render-target/test").status_code == 403
    local = charlie_client.post(f"/v1/{other_project.id}/project-settings/render-target/test")
    assert local.status_code == 400
    assert local.json()["error_msg"].startswith("render_target: this project renders here")


def standin_count(standin, asset_type: str) -> int:
    return standin.api("GET", "/digital-assets", params={"asset_type": asset_type, "limit": 1}).json()["count"]


def library(client, project, asset_type: str) -> list[dict]:
    response = client.get(f"/v1/{project.id}/digital-assets",
                          {"asset_type": asset_type, "include_presets": "false", "limit": 100})
    return response.json()["assets"]


def test_sync_imports_the_remote_avatars_and_voices(standin, remote_allowed, charlie_client, other_project):
    from composer.api.presenters import EXAMPLE_CHOICES

    built = standin.api("POST", "/presenters", json={"name": "Remote Rita", "choices": EXAMPLE_CHOICES})
    assert built.status_code == 200, built.text
    avatars, voices = standin_count(standin, "HUMAN_MODEL_2D"), standin_count(standin, "VOICE_MODEL")
    assert avatars >= 2 and voices >= 1
    point_at(charlie_client, other_project, standin)

    first = charlie_client.post(f"/v1/{other_project.id}/remote-assets/sync")
    assert first.status_code == 200, first.content
    assert first.json() == {"avatars": avatars, "voices": voices, "created": avatars + voices, "updated": 0,
                            "removed": 0, "skipped": 0, "covers": 1, "covers_failed": 0}

    listed = library(charlie_client, other_project, "HUMAN_MODEL_2D")
    assert len(listed) == avatars
    assert all(a["source"] == "metastudio" and a["asset_state"] == "ACTIVED" for a in listed)
    rita = next(a for a in listed if a["asset_name"] == "Remote Rita")
    assert rita["remote_asset_id"] == built.json()["asset_id"] and rita["cover_url"]
    assert charlie_client.get(rita["cover_url"]).status_code == 200
    maya = next(a for a in listed if a["remote_asset_id"] == "avatar-maya")
    assert maya["asset_name"] == "Maya"
    assert maya["asset_extra_meta"]["human_model_2d_meta"]["model_resolution"] == "1920x1080"
    voice_names = {a["asset_name"] for a in library(charlie_client, other_project, "VOICE_MODEL")}
    remote_voices = standin.api("GET", "/digital-assets", params={"asset_type": "VOICE_MODEL", "limit": 100})
    assert voice_names == {a["asset_name"] for a in remote_voices.json()["assets"]}

    # Again: the same assets are updated, not doubled; one gone on the remote is marked deleted here.
    assert standin.api("DELETE", f"/digital-assets/{built.json()['asset_id']}").status_code == 204
    again = charlie_client.post(f"/v1/{other_project.id}/remote-assets/sync").json()
    assert again["created"] == 0 and again["updated"] == avatars + voices - 1 and again["removed"] == 1
    assert len(library(charlie_client, other_project, "HUMAN_MODEL_2D")) == avatars - 1

    # Back to rendering here: a job naming an imported avatar is refused, naming the field.
    charlie_client.put(f"/v1/{other_project.id}/project-settings", {"render_target": {"kind": "local"}},
                       format="json")
    refused = charlie_client.post(f"/v1/{other_project.id}/2d-digital-human-videos",
                                  create_body(model_asset_id=maya["asset_id"]), format="json")
    assert refused.status_code == 400
    assert refused.json()["error_msg"].startswith(f"model_asset_id: asset '{maya['asset_id']}' was imported from "
                                                  "MetaStudio and renders there only")


def test_sync_with_a_wrong_sk_says_the_credentials_were_refused(standin, remote_allowed, charlie_client,
                                                                 other_project):
    point_at(charlie_client, other_project, standin, sk="wrong-secret")
    refused = charlie_client.post(f"/v1/{other_project.id}/remote-assets/sync")
    assert refused.status_code == 502
    assert refused.json()["error_code"] == "MSS.00000013"
    assert refused.json()["error_msg"].startswith("MetaStudio refused the credentials")
    assert library(charlie_client, other_project, "VOICE_MODEL") == []


def test_only_owners_sync(alice_client, project):
    assert alice_client.post(f"/v1/{project.id}/remote-assets/sync").status_code == 403


def test_our_client_creates_shows_and_cancels_a_job_on_the_standin(standin):
    from composer.metastudio.client import Account, MetaStudioClient, RemoteRejected

    account = Account(standin.base, standin.project_id, standin.ak, standin.sk)
    with MetaStudioClient(account, allow_private=True, max_retries=0) as remote:
        created = remote.create_video(create_body(output_asset_config={"asset_name": "Sent from Composer"}))
        shown = remote.show_video(created["job_id"])
        assert shown["job_id"] == created["job_id"] and shown["state"] in ("WAITING", "PROCESSING")
        assert remote.cancel_video(created["job_id"]) == {}
        assert remote.show_video(created["job_id"])["state"] == "CANCELED"
        with pytest.raises(RemoteRejected) as refused:
            remote.create_video({"shoot_scripts": []})
    assert refused.value.status == 400 and refused.value.error_code == "MSS.00000003"
    assert refused.value.error_msg == "shoot_scripts: must have at least 1 item"
