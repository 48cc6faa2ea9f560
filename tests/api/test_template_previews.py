"""A template's thumbnails draw its sample values: the sample picture fills its slot, the sample text its layer;
and approval covers the template's rules, so changing one needs a new approval."""
from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.support.factories import template_composition
from tests.support.script_api import url

pytestmark = pytest.mark.django_db


def green_picture(client, project) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 180), (10, 200, 40)).save(buffer, "PNG")
    form = {"file": SimpleUploadedFile("green.png", buffer.getvalue()), "asset_name": "Green logo",
            "asset_type": "IMAGE"}
    response = client.post(f"/v1/{project.id}/digital-assets/upload", form, format="multipart")
    assert response.status_code == 200, response.content
    return response.json()["asset_id"]


def green_pixels(jpeg: bytes) -> int:
    pixels = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB")).astype(int)
    return int(((pixels[..., 1] > 160) & (pixels[..., 0] < 80) & (pixels[..., 2] < 100)).sum())


def preview(client, project, composition) -> bytes:
    response = client.post(f"/v1/{project.id}/previews", {"composition": composition, "width": 480}, format="json")
    assert response.status_code == 200, response.content
    return response.content


def with_green_slot(green: str, sample: str, company: str = "Acme") -> dict:
    body = template_composition(company=company, logo=sample)
    body["template"]["variables"][2]["allowed"].append(green)
    return body


def test_the_sample_picture_fills_the_slot(alice_client, project):
    green = green_picture(alice_client, project)
    drawn = preview(alice_client, project, with_green_slot(green, green))
    other = preview(alice_client, project, with_green_slot(green, "bg-studio-blue-landscape"))
    # The slot is 320x180 in 1920 wide layout, a quarter of it at 480: about 80x45 pixels of green.
    assert green_pixels(drawn) > 2500
    assert green_pixels(other) == 0


def test_the_sample_text_is_drawn_in_its_layer(alice_client, project):
    acme = preview(alice_client, project, template_composition(company="Acme"))
    again = preview(alice_client, project, template_composition(company="Acme"))
    longer = preview(alice_client, project, template_composition(company="Initech Worldwide"))
    assert acme == again
    assert acme != longer


def test_approval_covers_the_rules_for_values(alice_client, bob_client, project):
    project.require_approval = True
    project.save()
    script_id = alice_client.post(url(project), {"script_name": "Welcome", **template_composition()},
                                  format="json").json()["script_id"]
    alice_client.post(url(project, f"/{script_id}/approval-requests"), {}, format="json")
    changes = bob_client.get(f"/v1/{project.id}/approval-requests", {"state": "PENDING"}).json()
    assert changes["count"] == 1
    assert bob_client.post(url(project, f"/{script_id}/approve"), {"comment": "ok"}, format="json").status_code == 200
    submit = {"script_id": script_id}
    assert alice_client.post(f"/v1/{project.id}/2d-digital-human-videos", submit, format="json").status_code == 200

    body = template_composition()
    body["template"]["variables"][1]["max_length"] = 200
    edited = alice_client.put(url(project, f"/{script_id}"), {"template": body["template"]}, format="json")
    assert edited.status_code == 200, edited.content
    refused = alice_client.post(f"/v1/{project.id}/2d-digital-human-videos", submit, format="json")
    assert refused.status_code == 400 and "revision 1 was approved, but revision 2" in refused.json()["error_msg"]
    diff = alice_client.get(url(project, f"/{script_id}/revisions/1/diff/2")).json()
    assert [(line["group"], line["what"], line["before"], line["after"]) for line in diff["readable"]] == [
        ("Template", "{{company}}", "text of at most 30 characters; sample 'Acme'",
         "text of at most 200 characters; sample 'Acme'")]


def test_play_speaks_the_sample_values(alice_client, project):
    script_id = alice_client.post(url(project), {"script_name": "Welcome", **template_composition()},
                                  format="json").json()["script_id"]
    short = alice_client.post(url(project, f"/{script_id}/scene-previews"), {"scene": 0, "width": 320},
                              format="json")
    assert short.status_code == 200, short.content
    longer = alice_client.post(url(project, f"/{script_id}/scene-previews"), {
        "scene": 0, "width": 320,
        "composition": template_composition(company="Springfield Nuclear Power Co")}, format="json")
    assert longer.status_code == 200, longer.content
    assert longer.json()["duration"] > short.json()["duration"] + 1
