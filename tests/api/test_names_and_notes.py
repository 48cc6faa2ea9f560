"""Renaming videos (PUT/PATCH on the video, or its output asset) and scripts, and approval requests' notes, through
the API: the new names show in the list, show and download answers; refusals use the MetaStudio error body."""
from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from composer.assets.models import Asset, AssetType
from composer.jobs.models import VideoJob
from composer.teams.models import AuditEntry
from tests.support.factories import create_body, create_composition

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(alice_client, project):
    """A job whose render produced its VIDEO asset (as the engine's store_output leaves it)."""
    job_id = alice_client.post(f"/v1/{project.id}/2d-digital-human-videos",
                               create_body(output_asset_config={"asset_name": "Teaser"}), format="json").json()["job_id"]
    asset = Asset(project=project, name="Teaser", asset_type=AssetType.VIDEO, state="ACTIVED",
                  original_filename="Teaser.mp4", meta={"job_id": job_id})
    asset.file.save("v.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    asset.save()
    VideoJob.objects.filter(pk=job_id).update(output_asset_id=asset.id, state="SUCCEED")
    return job_id, asset


def video_url(project, job_id: str = "") -> str:
    return f"/v1/{project.id}/2d-digital-human-videos/{job_id}"


def test_it_renames_a_video_and_everything_that_carries_its_name(alice_client, project, finished, client):
    job_id, asset = finished
    response = alice_client.put(video_url(project, job_id), {"output_asset_config": {"asset_name": " Spring teaser "}},
                                format="json")
    assert response.status_code == 200, response.content
    assert response.json()["output_asset_config"]["asset_name"] == "Spring teaser"
    shown = alice_client.get(video_url(project, job_id)).json()
    assert shown["output_asset_config"]["asset_name"] == "Spring teaser"
    listed = alice_client.get(f"/v1/{project.id}/digital-human-videos?asset_name=Spring").json()["jobs"]
    assert [job["job_id"] for job in listed] == [job_id]
    asset.refresh_from_db()
    assert asset.name == "Spring teaser"
    download = client.get(shown["output_asset_config"]["preview_video_url"].split("testserver", 1)[-1] + "&download=1")
    assert 'filename="Spring teaser.mp4"' in download["Content-Disposition"]
    row = AuditEntry.objects.get(action="job.rename")
    assert row.detail == {"name": ["Teaser", "Spring teaser"]} and row.object_id == job_id

    patched = alice_client.patch(video_url(project, job_id), {"output_asset_config": {"asset_name": "Spring"}},
                                 format="json")
    assert patched.status_code == 200 and patched.json()["output_asset_config"]["asset_name"] == "Spring"


def test_a_bad_name_is_refused_naming_the_field_and_the_rule(alice_client, project, finished):
    job_id, _ = finished
    for name in ("", "   ", "x" * 257, 5):
        response = alice_client.put(video_url(project, job_id), {"output_asset_config": {"asset_name": name}},
                                    format="json")
        assert response.status_code == 400
        assert response.json() == {"error_code": "MSS.00000003", "error_msg":
                                   "output_asset_config.asset_name: the video's name must be text of 1-256 characters"}
    assert VideoJob.objects.get(pk=job_id).asset_name == "Teaser"


def test_only_members_who_may_edit_assets_rename_videos(project, finished, charlie_client, django_user_model):
    from composer.teams.models import Membership, Role
    from tests.support.users import make_user, token_client

    job_id, _ = finished
    viewer = make_user(django_user_model, "dora")
    Membership.objects.create(project=project, user=viewer, role=Role.VIEWER)
    body = {"output_asset_config": {"asset_name": "Mine now"}}
    assert token_client(viewer).put(video_url(project, job_id), body, format="json").status_code == 403
    assert charlie_client.put(video_url(project, job_id), body, format="json").status_code == 403
    assert VideoJob.objects.get(pk=job_id).asset_name == "Teaser"


def test_renaming_the_output_asset_renames_the_video(alice_client, project, finished):
    job_id, asset = finished
    response = alice_client.put(f"/v1/{project.id}/digital-assets/{asset.id}", {"asset_name": "From the library"},
                                format="json")
    assert response.status_code == 200, response.content
    assert alice_client.get(video_url(project, job_id)).json()["output_asset_config"]["asset_name"] == \
        "From the library"
    assert AuditEntry.objects.get(action="asset.rename").detail == {"name": ["Teaser", "From the library"]}


def test_a_script_is_renamed_without_a_new_revision(alice_client, project):
    scripts = f"/v1/{project.id}/digital-human-video-scripts"
    created = alice_client.post(scripts, {"script_name": "Teaser", **create_composition()}, format="json").json()
    renamed = alice_client.put(f"{scripts}/{created['script_id']}", {"script_name": "Spring teaser"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["script_name"] == "Spring teaser"
    assert renamed.json()["revision"] == 1
    assert alice_client.get(f"{scripts}?name=Spring").json()["video_scripts"][0]["script_id"] == created["script_id"]
    assert AuditEntry.objects.get(action="script.rename").detail == {"name": ["Teaser", "Spring teaser"]}


def test_a_request_carries_a_note_and_a_rejected_version_needs_one(alice_client, bob_client, project):
    scripts = f"/v1/{project.id}/digital-human-video-scripts"
    script_id = alice_client.post(scripts, {"script_name": "Teaser", **create_composition()},
                                  format="json").json()["script_id"]
    requests = f"{scripts}/{script_id}/approval-requests"
    first = alice_client.post(requests, {"note": "First cut, music to follow"}, format="json").json()
    assert first["note"] == "First cut, music to follow" and first["state"] == "PENDING"
    inbox = bob_client.get(f"/v1/{project.id}/approval-requests?state=PENDING").json()["approval_requests"]
    assert inbox[0]["note"] == "First cut, music to follow"
    assert bob_client.post(f"{scripts}/{script_id}/reject", {"comment": "Too long"}, format="json").status_code == 200

    again = alice_client.post(requests, {}, format="json")
    assert again.status_code == 400
    assert again.json() == {"error_code": "MSS.00000003", "error_msg":
                            "note: this exact version was rejected by bob (“Too long”). Change the script, or add a "
                            "note to the approver that answers the rejection, before asking again"}
    answered = alice_client.post(requests, {"note": "Cut to 20 seconds is not possible: legal text"}, format="json")
    assert answered.status_code == 200 and answered.json()["note"].startswith("Cut to 20 seconds")
    too_long = alice_client.post(requests, {"note": "x" * 1001}, format="json")
    assert too_long.status_code == 400 and too_long.json()["error_msg"].startswith("note: ")
