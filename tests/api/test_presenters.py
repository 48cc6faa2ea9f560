"""The presenter builder's API: options, previews, building into the library, permissions, and a render with it."""
from __future__ import annotations

import io
from pathlib import Path

import av
import pytest
from django.conf import settings
from PIL import Image

from composer.assets.models import Asset
from composer.jobs.models import JobState, VideoJob
from composer.teams.models import AuditEntry, Membership, Role
from tests.support.factories import create_body
from tests.support.users import token_client
from tests.support.waiting import wait_for

pytestmark = pytest.mark.django_db

NORA = {"build": "slim", "features": "soft", "skin": "olive", "eye_colour": "green", "hair_style": "bob",
        "hair_colour": "#8A4B2A", "outfit": "blazer", "outfit_colour": "navy", "glasses": "round"}


def create(client, project, name="Nora", choices=None):
    return client.post(f"/v1/{project.id}/presenters", {"name": name, "choices": choices or NORA}, format="json")


def preview(client, project, choices=None, **extra):
    return client.post(f"/v1/{project.id}/presenter-previews", {"choices": choices or NORA, **extra}, format="json")


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def viewer_client(project, django_user_model):
    viewer = django_user_model.objects.create_user(username="vera", password="vera-pass-123")
    Membership.objects.create(project=project, user=viewer, role=Role.VIEWER)
    return token_client(viewer)


def test_it_lists_the_options_and_the_built_in_presenters(alice_client, project):
    response = alice_client.get(f"/v1/{project.id}/presenter-options")
    assert response.status_code == 200
    body = response.json()
    fields = {field["id"]: field for field in body["fields"]}
    for name in ("build", "skin", "hair_style", "hair_colour", "outfit", "outfit_colour"):
        assert body["options"][name] and all({"id", "label"} <= set(o) for o in body["options"][name])
    assert fields["skin"]["kind"] == "colour" and fields["hair_style"]["kind"] == "choice"
    assert fields["hair_colour"]["custom_colour"] and fields["hair_colour"]["label"] == "Hair colour"
    maya = next(p for p in body["presets"] if p["asset_id"] == "avatar-maya")
    assert maya["name"] == "Maya" and set(maya["choices"]) == set(body["options"])
    assert set(body["blank"]) == set(body["options"])


def test_a_preview_is_a_png_of_the_choices(alice_client, project):
    response = preview(alice_client, project, width=200)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.width == 200 and image.mode == "RGBA"
    other = preview(alice_client, project, {**NORA, "hair_style": "lob"}, width=200)
    assert other.content != response.content and other["ETag"] != response["ETag"]
    again = preview(alice_client, project, width=200)
    assert again.content == response.content and again["ETag"] == response["ETag"]


def test_a_preview_refuses_a_bad_choice_naming_the_field(alice_client, project):
    response = preview(alice_client, project, {**NORA, "skin": "green"})
    assert response.status_code == 400
    body = response.json()
    assert body["error_code"] == "MSS.00000003" and body["error_msg"].startswith("choices.skin: ")
    assert preview(alice_client, project, width=5000).json()["error_msg"].startswith("width: ")


def test_it_builds_a_presenter_into_the_library(alice, alice_client, project):
    response = create(alice_client, project)
    assert response.status_code == 200, response.content
    created = response.json()
    assert created["asset_type"] == "HUMAN_MODEL_2D" and created["asset_state"] == "ACTIVED"
    assert created["asset_name"] == "Nora" and created["cover_url"]
    assert {f["asset_file_category"] for f in created["files"]} == {"MAIN", "COVER"}
    assert created["meta"]["presenter"]["choices"]["hair_colour"] == "#8A4B2A"
    assert created["meta"]["layout_width"] == 1920
    listed = alice_client.get(f"/v1/{project.id}/digital-assets?asset_type=HUMAN_MODEL_2D&include_presets=false")
    assert [a["asset_id"] for a in listed.json()["assets"]] == [created["asset_id"]]
    assert alice_client.get(created["cover_url"]).status_code == 200
    asset = Asset.objects.get(pk=created["asset_id"])
    assert asset.project == project and asset.created_by == alice and Path(asset.file.path).exists()
    entry = AuditEntry.objects.get(project=project, action="asset.create", object_id=asset.id)
    assert entry.user == alice and entry.detail["asset_type"] == "HUMAN_MODEL_2D"


def test_bad_input_is_refused_and_leaves_nothing(alice_client, project):
    cases = [({"name": "Nora", "choices": {**NORA, "outfit": "cape"}}, "choices.outfit: "),
             ({"name": "Nora", "choices": {**NORA, "cape": "red"}}, "choices.cape: "),
             ({"name": "Nora", "choices": "bob"}, "choices: "),
             ({"name": " ", "choices": NORA}, "name: "), ({"choices": NORA}, "name: "),
             ({"name": "x" * 257, "choices": NORA}, "name: ")]
    for body, message in cases:
        response = alice_client.post(f"/v1/{project.id}/presenters", body, format="json")
        assert response.status_code == 400, body
        assert response.json()["error_msg"].startswith(message), response.json()
    assert not Asset.objects.exists() and not AuditEntry.objects.filter(action="asset.create").exists()
    assert media_files() == []


def test_a_failure_after_the_upload_leaves_no_row_and_no_file(alice, project, monkeypatch):
    from composer.assets import presenters

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(presenters, "save_thumbnail", broken)
    with pytest.raises(OSError):
        presenters.build_presenter(project, name="Nora", choices=NORA, user=alice)
    assert not Asset.objects.exists() and not AuditEntry.objects.filter(action="asset.create").exists()
    assert media_files() == []


def test_a_long_name_is_kept_whole(alice_client, project):
    name = "Presenter for the spring product launch, Europe and Asia, morning edition, second take, v2"
    assert len(name) > 80
    assert create(alice_client, project, name=name).json()["asset_name"] == name


def test_viewers_may_preview_but_not_build(viewer_client, project):
    assert viewer_client.get(f"/v1/{project.id}/presenter-options").status_code == 200
    response = create(viewer_client, project)
    assert response.status_code == 403 and response.json()["error_code"] == "MSS.00000002"
    assert not Asset.objects.exists()


def test_members_of_another_project_are_refused(charlie_client, project):
    for response in (charlie_client.get(f"/v1/{project.id}/presenter-options"), preview(charlie_client, project),
                     create(charlie_client, project)):
        assert response.status_code == 403
    assert not Asset.objects.exists()


def test_anonymous_callers_are_refused(client, project):
    assert client.post(f"/v1/{project.id}/presenters", {"name": "Nora", "choices": NORA},
                       content_type="application/json").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_a_video_renders_with_a_built_presenter(alice_client, project, embedded_worker):
    asset_id = create(alice_client, project).json()["asset_id"]
    body = create_body(model_asset_id=asset_id)
    body["video_config"].update({"clip_mode": "CROP", "width": 320, "height": 180, "dx": 1200, "dy": 100,
                                 "bitrate": 1000})
    response = alice_client.post(f"/v1/{project.id}/2d-digital-human-videos", body, format="json")
    assert response.status_code == 200, response.content
    job_id = response.json()["job_id"]
    done = wait_for(lambda: (job := VideoJob.objects.get(pk=job_id)).is_final and job)
    assert done.state == JobState.SUCCEED, done.error_msg
    video = Asset.objects.get(pk=done.output_asset_id)
    with av.open(video.file.path) as container:
        frame = next(container.decode(video=0)).to_ndarray(format="rgb24")
    # The presenter is in the cropped window: a good part of it is far from the background colour (#E8EEF7).
    distance = abs(frame.astype(int) - (0xE8, 0xEE, 0xF7)).sum(axis=2)
    assert (distance > 60).mean() > 0.05
