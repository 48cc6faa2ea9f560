"""The approval requests and a revision's show body carry the off-kit report the approver's page shows: the
colours and fonts of the revision outside the project's brand kit, where they are used, as the OpenAPI schema says."""
from __future__ import annotations

import pytest

from tests.support.factories import create_composition, text_layer
from tests.support.media import FONT
from tests.support.uploads import upload

pytestmark = pytest.mark.django_db


def scripts_url(project, rest: str = "") -> str:
    return f"/v1/{project.id}/digital-human-video-scripts{rest}"


def off_kit_script(alice_client, project, font_asset_id: str) -> str:
    """A script whose text layer is #112233 in the kit's font and whose background is #E8EEF7; its second layer
    is orange in a named font."""
    composition = create_composition("Hello.")
    brand_layer = text_layer("On brand")
    brand_layer["text_config"]["font_asset_id"] = font_asset_id
    loud = text_layer("Off brand", index=4)
    loud["text_config"].update({"font_color": "#ff6600", "font_name": "Comic Sans"})
    composition["shoot_scripts"][0]["shoot_script"]["layer_config"] = [brand_layer, loud]
    created = alice_client.post(scripts_url(project), {"script_name": "Launch", **composition}, format="json")
    assert created.status_code == 200, created.content
    return created.json()["script_id"]


def test_approval_requests_and_revisions_say_what_is_outside_the_kit(alice_client, bob_client, client, bob,
                                                                     project):
    font = upload(alice_client, project, FONT.read_bytes(), "brand.otf", "FONT").json()["asset_id"]
    assert alice_client.put(f"/v1/{project.id}/brand-kit", {"palette": ["#112233", "#E8EEF7"],
                                                            "font_asset_ids": [font]},
                            format="json").status_code == 200
    script_id = off_kit_script(alice_client, project, font)
    layer = "shoot_scripts[0].shoot_script.layer_config[1].text_config"
    expected = {"has_kit": True,
                "colours": [{"value": "#FF6600", "paths": [f"{layer}.font_color"]}],
                "fonts": [{"value": "Comic Sans", "kind": "name", "label": "Comic Sans",
                           "paths": [f"{layer}.font_name"]}]}

    asked = alice_client.post(scripts_url(project, f"/{script_id}/approval-requests"), {}, format="json")
    assert asked.status_code == 200, asked.content
    assert asked.json()["off_kit"] == expected
    listed = alice_client.get(scripts_url(project, f"/{script_id}/approval-requests")).json()
    inbox = bob_client.get(f"/v1/{project.id}/approval-requests?state=PENDING").json()
    assert listed["approval_requests"][0]["off_kit"] == expected
    assert inbox["approval_requests"][0]["off_kit"] == expected
    shown = alice_client.get(scripts_url(project, f"/{script_id}/revisions/1")).json()
    assert shown["off_kit"] == expected
    # The same as the approver's page shows.
    client.force_login(bob)
    page = client.get(f"/p/{project.id}/approvals/{asked.json()['request_id']}")
    assert page.context["data"]["off_kit"] == expected

    # The kit changes, and so does the report: orange joins the palette, any font is fine without kit fonts.
    alice_client.put(f"/v1/{project.id}/brand-kit", {"palette": ["#112233", "#E8EEF7", "#FF6600"],
                                                     "font_asset_ids": []}, format="json")
    decided = bob_client.post(scripts_url(project, f"/{script_id}/approve"), {}, format="json").json()
    assert decided["off_kit"] == {"has_kit": True, "colours": [], "fonts": []}


def test_without_a_kit_the_report_is_empty(alice_client, project):
    composition = create_composition("Hello.")
    script_id = alice_client.post(scripts_url(project), {"script_name": "Plain", **composition},
                                  format="json").json()["script_id"]
    asked = alice_client.post(scripts_url(project, f"/{script_id}/approval-requests"), {}, format="json").json()
    assert asked["off_kit"] == {"has_kit": False, "colours": [], "fonts": []}


def test_the_schema_describes_the_report(client):
    schemas = client.get("/v1/openapi.json").json()["components"]["schemas"]
    assert "off_kit" in schemas["ApprovalRequest"]["required"]
    assert "off_kit" in schemas["VideoScriptRevisionDetail"]["required"]
    report = schemas["OffKitReport"]["properties"]
    assert set(report) == {"has_kit", "colours", "fonts"}
    assert set(schemas["OffKitFont"]["properties"]) == {"value", "kind", "label", "paths"}
