"""A job of a project that renders on MetaStudio may name only the avatars and voices imported from the account:
one naming a built-in preset or a file of the project is refused at submit (400, the field and the asset named),
and nothing is created or sent; the same body is fine in a project that renders here."""
from __future__ import annotations

import pytest

from composer.assets.models import Asset
from composer.assets.presets import builtin_asset
from composer.jobs.models import VideoJob
from composer.spec.errors import ERROR_PARAMETER
from composer.teams.render_target import set_render_target
from tests.support.factories import create_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def remote_project(remote_allowed, charlie, other_project):
    set_render_target(other_project, {"kind": "metastudio", "endpoint": "http://127.0.0.1:9", "ak": "AK",
                                      "sk": "SK", "remote_project_id": "p"}, by=charlie)
    return other_project


def imported(project, asset_type: str, name: str, remote_id: str) -> Asset:
    return Asset.objects.create(project=project, name=name, asset_type=asset_type, state="ACTIVED",
                                source="metastudio", remote_asset_id=remote_id)


def remote_ready_body(project, **overrides) -> dict:
    avatar = imported(project, "HUMAN_MODEL_2D", "Maya", "avatar-maya")
    voice = imported(project, "VOICE_MODEL", "Remote voice", "voice-remote")
    body = create_body(model_asset_id=avatar.id, **overrides)
    body["voice_config"]["voice_asset_id"] = voice.id
    return body


def post(client, project, body):
    return client.post(f"/v1/{project.id}/2d-digital-human-videos", body, format="json")


def test_a_builtin_preset_is_refused_before_anything_is_sent(charlie_client, remote_project):
    body = create_body()
    preset = builtin_asset(body["model_asset_id"])
    refused = post(charlie_client, remote_project, body)
    assert refused.status_code == 400
    assert refused.json()["error_code"] == ERROR_PARAMETER
    assert refused.json()["error_msg"].startswith(
        f"model_asset_id: '{preset.id}' ({preset.name}) is one of Composer's built-in presets, which MetaStudio "
        "does not have")
    assert not VideoJob.objects.filter(project=remote_project).exists()


def test_a_file_of_the_project_is_refused_naming_the_field_and_the_asset(charlie_client, remote_project):
    photo = Asset.objects.create(project=remote_project, name="Summer photo", asset_type="IMAGE", state="ACTIVED")
    body = remote_ready_body(remote_project)
    body["shoot_scripts"][0]["shoot_script"]["background_config"] = [
        {"background_type": "IMAGE", "background_asset_id": photo.id}]
    refused = post(charlie_client, remote_project, body)
    assert refused.status_code == 400, refused.content
    assert refused.json()["error_msg"].startswith(
        f"shoot_scripts[0].shoot_script.background_config[0].background_asset_id: '{photo.id}' (Summer photo) is a "
        "file of this project, which MetaStudio cannot render")
    assert not VideoJob.objects.filter(project=remote_project).exists()


def test_imported_avatars_and_voices_are_accepted(charlie_client, remote_project):
    accepted = post(charlie_client, remote_project, remote_ready_body(remote_project))
    assert accepted.status_code == 200, accepted.content
    assert VideoJob.objects.get(pk=accepted.json()["job_id"]).stage == "remote"


def test_a_project_that_renders_here_takes_the_presets(charlie_client, other_project):
    assert post(charlie_client, other_project, create_body()).status_code == 200



@pytest.fixture
def approved_template(charlie_client, other_project) -> str:
    from composer.scripts.models import ApprovalRequest, ApprovalState, Script
    from tests.support.factories import template_composition
    from tests.support.script_api import url

    saved = charlie_client.post(url(other_project), {"script_name": "Welcome", **template_composition()},
                                format="json")
    assert saved.status_code == 200, saved.content
    script = Script.objects.select_related("head").get(pk=saved.json()["script_id"])
    ApprovalRequest.objects.create(script=script, revision=script.head, content_hash=script.head.content_hash,
                                   state=ApprovalState.APPROVED)
    return script.id


ROWS = [{"first_name": "Ann", "company": "Acme", "logo": "bg-studio-blue-landscape"}]


def test_a_batch_whose_rows_name_presets_is_refused_whole(charlie_client, approved_template, remote_project):
    from composer.jobs.models import VideoBatch

    refused = charlie_client.post(f"/v1/{remote_project.id}/video-batches",
                                  {"script_id": approved_template, "rows": ROWS}, format="json")
    assert refused.status_code == 400, refused.content
    message = refused.json()["error_msg"]
    assert message.startswith("rows: 1 of 1 rows refused, nothing was created: row 1: ")
    assert "model_asset_id: " in message and "is one of Composer's built-in presets" in message
    assert not VideoBatch.objects.exists() and not VideoJob.objects.exists()


def test_a_retry_after_the_project_moved_to_metastudio_is_refused(remote_allowed, charlie_client, charlie,
                                                                   approved_template,
                                                                   other_project):
    made = charlie_client.post(f"/v1/{other_project.id}/video-batches",
                               {"script_id": approved_template, "rows": ROWS}, format="json").json()
    VideoJob.objects.filter(pk=made["job_ids"][0]).update(state="FAILED", error_code="MSS.00000004")
    set_render_target(other_project, {"kind": "metastudio", "endpoint": "http://127.0.0.1:9", "ak": "AK",
                                      "sk": "SK", "remote_project_id": "p"}, by=charlie)
    retry = charlie_client.post(f"/v1/{other_project.id}/video-batches/{made['batch_id']}/retry", {},
                                format="json")
    assert retry.status_code == 400, retry.content
    assert retry.json()["error_msg"].startswith("rows: row 1: model_asset_id: ")
    assert retry.json()["error_msg"].endswith("; nothing was retried")
    assert VideoJob.objects.count() == 1
