"""The brand-kit API: what a kit may hold (errors naming the field), whose assets, who may change it, the audit."""
from __future__ import annotations

import pytest

from composer.teams.models import AuditEntry, Membership, Role
from tests.support.factories import preset_id
from tests.support.media import FONT, png_bytes
from tests.support.uploads import upload
from tests.support.users import make_user, token_client

pytestmark = pytest.mark.django_db


def kit_url(project) -> str:
    return f"/v1/{project.id}/brand-kit"


@pytest.fixture
def library(alice_client, project):
    """An image and a font of the project, uploaded and checked by the library."""
    image = upload(alice_client, project, png_bytes(), "logo.png", "IMAGE").json()["asset_id"]
    font = upload(alice_client, project, FONT.read_bytes(), "brand.otf", "FONT").json()["asset_id"]
    return {"image": image, "font": font}


def test_an_unset_kit_reads_as_empty(bob_client, project):
    kit = bob_client.get(kit_url(project)).json()
    assert kit["palette"] == [] and kit["font_asset_ids"] == [] and kit["logo_asset_ids"] == []
    assert kit["intro_asset_id"] is None and kit["music_asset_id"] is None and kit["subtitle_style"] == {}


def test_an_editor_sets_the_kit_and_every_member_reads_it(alice_client, bob_client, project, library):
    music = preset_id("MUSIC")
    response = alice_client.put(kit_url(project), {
        "palette": ["#ff6600", "#112233"], "logo_asset_ids": [library["image"]],
        "font_asset_ids": [library["font"]], "music_asset_id": music,
        "subtitle_style": {"font_size": 40, "font_color": "#ffcc00"}}, format="json")
    assert response.status_code == 200, response.content
    kit = bob_client.get(kit_url(project)).json()
    assert kit["palette"] == ["#FF6600", "#112233"]
    assert kit["logo_asset_ids"] == [library["image"]] and kit["font_asset_ids"] == [library["font"]]
    assert kit["music_asset_id"] == music and kit["updated_by"] == "alice"
    # The spec's SubtitleConfig rules filled in its defaults and normalised the colour.
    assert kit["subtitle_style"]["font_size"] == 40 and kit["subtitle_style"]["font_color"] == "#FFCC00"
    assert kit["subtitle_style"]["opacity"] == 1.0

    # A PUT changes only the fields it gives; null clears a single asset.
    alice_client.put(kit_url(project), {"palette": ["#000000"], "music_asset_id": None}, format="json")
    kit = bob_client.get(kit_url(project)).json()
    assert kit["palette"] == ["#000000"] and kit["font_asset_ids"] == [library["font"]]
    assert kit["music_asset_id"] is None
    entries = AuditEntry.objects.filter(project=project, action="brand_kit.update").order_by("id")
    assert [entry.detail["fields"] for entry in entries] == [
        ["font_asset_ids", "logo_asset_ids", "music_asset_id", "palette", "subtitle_style"],
        ["music_asset_id", "palette"]]


@pytest.mark.parametrize(("body", "field", "rule"), [
    ({"palette": "#FF0000"}, "palette", "list of colours"),
    ({"palette": ["#FF0000", "red"]}, "palette[1]", "#RRGGBB"),
    ({"palette": ["#FF0000", "#ff0000"]}, "palette[1]", "repeats #FF0000"),
    ({"palette": [f"#0000{i:02X}" for i in range(13)]}, "palette", "at most 12"),
    ({"subtitle_style": {"font_size": 500}}, "subtitle_style.font_size", "120"),
    ({"subtitle_style": {"font_color": "white"}}, "subtitle_style.font_color", "#RRGGBB"),
    ({"font_asset_ids": ["nope"]}, "font_asset_ids[0]", "no FONT asset 'nope' in this project"),
    ({"intro_asset_id": 7}, "intro_asset_id", "must be an asset id"),
    ({"music_asset_id": "nope"}, "music_asset_id", "no active MUSIC asset"),
    ({"colours": []}, "colours", "not a brand kit field"),
])
def test_bad_values_are_refused_naming_the_field(alice_client, project, body, field, rule):
    response = alice_client.put(kit_url(project), body, format="json")
    assert response.status_code == 400, response.content
    message = response.json()["error_msg"]
    assert message.startswith(f"{field}: ") and rule in message, message


def test_assets_of_the_wrong_type_are_refused(alice_client, project, library):
    response = alice_client.put(kit_url(project), {"font_asset_ids": [library["image"]]}, format="json")
    assert response.status_code == 400
    assert response.json()["error_msg"].startswith("font_asset_ids[0]: ")
    assert "is of type IMAGE; this field takes FONT assets" in response.json()["error_msg"]
    response = alice_client.put(kit_url(project), {"outro_asset_id": library["font"]}, format="json")
    assert response.status_code == 400 and response.json()["error_msg"].startswith("outro_asset_id: ")
    # Built-in presets are not the project's own logos.
    response = alice_client.put(kit_url(project), {"logo_asset_ids": [preset_id("IMAGE")]}, format="json")
    assert response.status_code == 400 and "no IMAGE asset" in response.json()["error_msg"]
    # Nothing of a refused body is kept, even the fields that were right.
    response = alice_client.put(kit_url(project), {"palette": ["#123456"], "font_asset_ids": [library["image"]]},
                                format="json")
    assert response.status_code == 400 and alice_client.get(kit_url(project)).json()["palette"] == []


def test_another_projects_assets_are_refused(charlie_client, other_project, project, library):
    response = charlie_client.put(kit_url(other_project), {"font_asset_ids": [library["font"]]}, format="json")
    assert response.status_code == 400
    assert response.json()["error_msg"] == f"font_asset_ids[0]: no FONT asset {library['font']!r} in this project"


@pytest.mark.parametrize(("role", "may_change"), [(Role.OWNER, True), (Role.EDITOR, True),
                                                  (Role.APPROVER, False), (Role.VIEWER, False)])
def test_owners_and_editors_change_it_everyone_reads_it(django_user_model, project, role, may_change):
    dave = make_user(django_user_model, "dave")
    Membership.objects.create(project=project, user=dave, role=role)
    client = token_client(dave)
    assert client.get(kit_url(project)).status_code == 200
    response = client.put(kit_url(project), {"palette": ["#112233"]}, format="json")
    assert response.status_code == (200 if may_change else 403), response.content
    if not may_change:
        assert "brand.manage" in response.json()["error_msg"]


def test_non_members_neither_read_nor_change_it(charlie_client, project):
    assert charlie_client.get(kit_url(project)).status_code == 403
    assert charlie_client.put(kit_url(project), {"palette": []}, format="json").status_code == 403


def test_deleting_an_asset_takes_it_out_of_the_kit_and_the_answer_says_so(alice_client, bob_client, project,
                                                                          library, tmp_path):
    from tests.support.media import mp4_bytes, wav_bytes

    video = upload(alice_client, project, mp4_bytes(tmp_path / "clip.mp4"), "clip.mp4", "VIDEO").json()["asset_id"]
    music = upload(alice_client, project, wav_bytes(tmp_path / "tune.wav"), "tune.wav", "AUDIO").json()["asset_id"]
    other = upload(alice_client, project, png_bytes(), "other.png", "IMAGE").json()["asset_id"]
    assert alice_client.put(kit_url(project), {
        "logo_asset_ids": [other, library["image"]], "font_asset_ids": [library["font"]],
        "intro_asset_id": video, "outro_asset_id": video, "music_asset_id": music}, format="json").status_code == 200

    gone = alice_client.delete(f"/v1/{project.id}/digital-assets/{video}")
    assert gone.status_code == 204
    assert gone["X-Brand-Kit-Removed"] == "intro_asset_id,outro_asset_id"
    for asset_id, field in ((library["image"], "logo_asset_ids"), (library["font"], "font_asset_ids"),
                            (music, "music_asset_id")):
        answer = alice_client.delete(f"/v1/{project.id}/digital-assets/{asset_id}")
        assert answer.status_code == 204 and answer["X-Brand-Kit-Removed"] == field
    kit = bob_client.get(kit_url(project)).json()
    assert kit["logo_asset_ids"] == [other] and kit["font_asset_ids"] == []
    assert kit["intro_asset_id"] is None and kit["outro_asset_id"] is None and kit["music_asset_id"] is None
    # The kit, saved again as it reads, is accepted: nothing in it names a deleted asset.
    assert alice_client.put(kit_url(project), {key: kit[key] for key in (
        "logo_asset_ids", "font_asset_ids", "intro_asset_id", "outro_asset_id", "music_asset_id")},
        format="json").status_code == 200

    entry = AuditEntry.objects.filter(project=project, action="brand_kit.update", detail__deleted_asset=video).get()
    assert entry.detail["fields"] == ["intro_asset_id", "outro_asset_id"] and entry.user.username == "alice"
    # An asset the kit does not hold is deleted as before, with no such header.
    plain = upload(alice_client, project, png_bytes(), "plain.png", "IMAGE").json()["asset_id"]
    answer = alice_client.delete(f"/v1/{project.id}/digital-assets/{plain}")
    assert answer.status_code == 204 and "X-Brand-Kit-Removed" not in answer
