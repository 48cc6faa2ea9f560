"""Whether an approval is stale (the script was edited since) and whether it is what a render renders now: one
rule in the script services, answered the same by the API and the approvals pages."""
from __future__ import annotations

import pytest

from tests.support.factories import create_body

pytestmark = pytest.mark.django_db


def scripts_url(project, rest: str = "") -> str:
    return f"/v1/{project.id}/digital-human-video-scripts{rest}"


def composition(text: str) -> dict:
    body = create_body()
    del body["output_asset_config"]
    body["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] = text
    return body


def test_the_api_and_the_pages_say_the_same_about_an_approval(alice_client, bob_client, client, bob, project):
    script_id = alice_client.post(scripts_url(project), {"script_name": "Launch", **composition("Hello.")},
                                  format="json").json()["script_id"]
    assert alice_client.post(scripts_url(project, f"/{script_id}/approval-requests"), {}, format="json") \
        .status_code == 200
    approved = bob_client.post(scripts_url(project, f"/{script_id}/approve"), {}, format="json").json()
    assert approved["stale"] is False and approved["renderable"] is True
    client.force_login(bob)

    def page_row() -> dict:
        return client.get(f"/p/{project.id}/approvals/{approved['request_id']}").context["data"]["request"]

    assert page_row()["stale"] is False and page_row()["renderable"] is True

    edited = alice_client.put(scripts_url(project, f"/{script_id}"),
                              {"shoot_scripts": composition("Hello again.")["shoot_scripts"]}, format="json")
    assert edited.status_code == 200
    listed = alice_client.get(scripts_url(project, f"/{script_id}/approval-requests")).json()["approval_requests"]
    inbox = alice_client.get(f"/v1/{project.id}/approval-requests").json()["approval_requests"]
    for row in (listed[0], inbox[0], page_row()):
        assert row["request_id"] == approved["request_id"]
        assert row["stale"] is True and row["renderable"] is False
    page = client.get(f"/p/{project.id}/approvals/{approved['request_id']}")
    assert page.context["data"]["renderable"] is False
