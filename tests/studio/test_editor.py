"""The editor page: who may open and edit it, what the page data carries, and the pictures the canvas draws."""
from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from composer.scripts.services import create_script
from composer.teams.models import Membership, Role
from tests.support.factories import create_composition, preset_id
from tests.support.media import png_bytes
from tests.support.pages import page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def script(project, alice):
    return create_script(project, {"script_name": "Spring <launch>", **create_composition()}, user=alice)


def member(project, django_user_model, username: str, role: str):
    user = django_user_model.objects.create_user(username=username, password="x")
    Membership.objects.create(project=project, user=user, role=role)
    return user


def editor_url(project, script) -> str:
    return f"/p/{project.id}/scripts/{script.id}"


@pytest.mark.parametrize("role", [Role.OWNER, Role.EDITOR])
def test_it_opens_editable_for_owners_and_editors(client, project, script, django_user_model, role):
    client.force_login(member(project, django_user_model, f"user-{role}", role))
    response = client.get(editor_url(project, script))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Spring &lt;launch&gt;" in html and "Read-only" not in html
    assert 'id="script-panel"' in html and 'id="settings-panel"' in html and 'id="review-bar"' in html
    assert page_data(response)["canEdit"] is True
    assert page_data(response)["testHooks"] is False      # the store is not handed to the page's global scope


@pytest.mark.parametrize("role", [Role.VIEWER, Role.APPROVER])
def test_it_opens_read_only_for_roles_that_cannot_edit(client, project, script, django_user_model, role):
    client.force_login(member(project, django_user_model, f"user-{role}", role))
    response = client.get(editor_url(project, script))
    assert response.status_code == 200
    assert "data-read-only" in response.content.decode()
    assert page_data(response)["canEdit"] is False


def test_foreign_projects_and_scripts_look_unknown(client, project, script, charlie, other_project, alice):
    client.force_login(charlie)
    assert client.get(editor_url(project, script)).status_code == 404
    # Charlie's own project does not reveal alice's script either.
    assert client.get(f"/p/{other_project.id}/scripts/{script.id}").status_code == 404
    client.force_login(alice)
    assert client.get(f"/p/{project.id}/scripts/no-such-script").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, project, script):
    response = client.get(editor_url(project, script))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_page_data_carries_the_head_and_what_the_canvas_needs(client, project, script, alice):
    client.force_login(alice)
    data = page_data(client.get(editor_url(project, script)))
    assert data["scriptId"] == script.id and data["revision"] == 1
    assert data["composition"]["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] == "Hello."
    assert data["canvas"] == {"width": 1920, "height": 1080} and data["orientation"] == "landscape"
    assert {t["name"] for t in data["layerTypes"]} == {"HUMAN", "IMAGE", "VIDEO", "TEXT"}
    human = next(t for t in data["layerTypes"] if t["name"] == "HUMAN")
    assert set(human["default_box"]) == {"landscape", "portrait"} and human["can_rotate"] is True
    avatar = next(a for a in data["presets"]["avatars"] if a["asset_id"] == preset_id("HUMAN_MODEL_2D", orientation="landscape"))
    assert avatar["image_url"] == f"/p/{project.id}/asset-images/{avatar['asset_id']}"
    assert avatar["rig"]["layout"] == [1920, 1080] and len(avatar["rig"]["default_box"]) == 4
    assert all(b["image_url"] for b in data["presets"]["backgrounds"])
    assert data["schema"]["properties"]["shoot_scripts"]["maxItems"] == 100


def test_a_portrait_script_gets_a_portrait_canvas(client, project, alice):
    body = create_composition(model_asset_id=preset_id("HUMAN_MODEL_2D", orientation="portrait"))
    body["video_config"].update({"width": 1080, "height": 1920})
    script = create_script(project, {"script_name": "Vertical", **body}, user=alice)
    client.force_login(alice)
    data = page_data(client.get(editor_url(project, script)))
    assert data["canvas"] == {"width": 1080, "height": 1920} and data["orientation"] == "portrait"


def test_project_assets_are_listed_with_their_picture(client, project, script, alice, alice_client):
    uploaded = alice_client.post(f"/v1/{project.id}/digital-assets/upload", {
        "file": SimpleUploadedFile("logo.png", png_bytes((200, 100))), "asset_name": "Logo", "asset_type": "IMAGE"},
        format="multipart").json()
    client.force_login(alice)
    data = page_data(client.get(editor_url(project, script)))
    logo = next(a for a in data["assets"] if a["asset_id"] == uploaded["asset_id"])
    picture = client.get(logo["image_url"])
    assert picture.status_code == 200
    with Image.open(io.BytesIO(b"".join(picture.streaming_content))) as image:
        assert image.size == (200, 100)


def test_the_avatar_picture_is_a_transparent_still(client, project, alice):
    client.force_login(alice)
    response = client.get(f"/p/{project.id}/asset-images/{preset_id('HUMAN_MODEL_2D', orientation='landscape')}")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.mode == "RGBA"
        assert image.getchannel("A").getextrema() == (0, 255)      # a figure on a transparent ground


def test_pictures_of_other_projects_and_voices_are_not_served(client, project, alice, charlie, other_project,
                                                               charlie_client):
    foreign = charlie_client.post(f"/v1/{other_project.id}/digital-assets/upload", {
        "file": SimpleUploadedFile("secret.png", png_bytes()), "asset_name": "Secret", "asset_type": "IMAGE"},
        format="multipart").json()
    client.force_login(alice)
    assert client.get(f"/p/{project.id}/asset-images/{foreign['asset_id']}").status_code == 404
    assert client.get(f"/p/{project.id}/asset-images/{preset_id('VOICE_MODEL')}").status_code == 404
    client.force_login(charlie)
    assert client.get(f"/p/{project.id}/asset-images/{foreign['asset_id']}").status_code == 404


def test_the_page_carries_the_video_rules_the_schema_cannot_say(client, alice, project):
    from composer.spec.rules import AVATAR_BITRATE, RESIZE_SIZES
    from composer.studio.editor import video_rules

    rules = video_rules()
    assert tuple(rules["avatarBitrate"]) == AVATAR_BITRATE
    assert rules["resizeSizes"]["landscape"][0] == [1920, 1080] and rules["resizeSizes"]["portrait"][0] == [1080, 1920]
    listed = {tuple(size) for sizes in rules["resizeSizes"].values() for size in sizes}
    assert listed == RESIZE_SIZES


def test_the_page_carries_the_specs_field_ranges_and_the_projects_fonts(client, project, script, alice, alice_client):
    from pathlib import Path

    from composer.render.text import REGULAR

    uploaded = alice_client.post(f"/v1/{project.id}/digital-assets/upload", {
        "file": SimpleUploadedFile("brand.otf", Path(REGULAR).read_bytes()), "asset_name": "Brand",
        "asset_type": "FONT"}, format="multipart").json()
    client.force_login(alice)
    data = page_data(client.get(editor_url(project, script)))
    assert data["fieldLimits"]["layer"]["text_config.font_size"] == {"min": 4, "max": 120, "integer": True}
    assert data["fieldLimits"]["layer"]["rotation.angle"] == {"min": 0, "max": 360, "integer": True}
    assert data["fieldLimits"]["background"]["dx"] == {"min": -5760, "max": 0, "integer": True}
    assert data["textStyle"]["defaults"]["line_height"] == 1.3 and data["textStyle"]["fonts"] == ["Noto Sans"]
    font = next(a for a in data["assets"] if a["asset_id"] == uploaded["asset_id"])
    served = client.get(font["font_url"])
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == Path(REGULAR).read_bytes()
