"""A project whose render target is a MetaStudio account, against a second Composer server standing in for
MetaStudio (started here on another port; COMPOSER_REMOTE_ALLOW_PRIVATE lets a loopback endpoint in): the
connection test with the right and a wrong SK."""
from __future__ import annotations

import pytest

from tests.support.standin import StandIn

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def standin(tmp_path_factory):
    server = StandIn(tmp_path_factory.mktemp("standin"))
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def remote_allowed(settings):
    settings.COMPOSER_REMOTE_ALLOW_PRIVATE = True
    settings.COMPOSER_FETCH_ALLOW_PRIVATE = True    # the stand-in's cover links are on 127.0.0.1 too
    settings.COMPOSER_REMOTE_MAX_RETRIES = 0


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
