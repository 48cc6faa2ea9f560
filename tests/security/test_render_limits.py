"""Renders are bounded: pauses count toward a scene's length, a scene and a video longer than the limits are
refused at submit (the editor's check says the same), and a render that grows past them, or runs too long, stops
with its reason."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from composer.jobs import engine, tasks
from composer.jobs.models import JobState, SceneRender, VideoJob
from composer.spec import validate_create_body
from tests.support.factories import create_body, create_composition
from tests.support.media import mp4_bytes

BREAKS_16_HOURS = "<speak>" + '<break time="10s"/>' * 6000 + "</speak>"


def breaks(minutes: int) -> str:
    return "<speak>Hello." + '<break time="10s"/>' * (minutes * 6) + "</speak>"


def submit(client, project, body):
    return client.post(f"/v1/{project.id}/2d-digital-human-videos", body, format="json")


def with_text(text: str, **overrides) -> dict:
    body = create_body(**overrides)
    body["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] = text
    return body


@pytest.mark.django_db
def test_the_probes_sixteen_hours_of_breaks_are_refused_at_submit(alice_client, project):
    response = submit(alice_client, project, with_text(BREAKS_16_HOURS))
    assert response.status_code == 400, response.content
    assert response.json() == {
        "error_code": "MSS.00000003",
        "error_msg": "shoot_scripts[0].shoot_script.text_config.text: the scene would last about 16 h 40 min "
                     "(pauses and breaks included); a scene may last at most 1 h"}
    assert not VideoJob.objects.exists()


@pytest.mark.django_db
def test_scenes_under_the_limit_that_add_up_past_the_video_limit_are_refused(alice_client, project):
    body = with_text(breaks(40))
    second = {"sequence_no": 1, "shoot_script": {**body["shoot_scripts"][0]["shoot_script"]}}
    body["shoot_scripts"].append(second)
    response = submit(alice_client, project, body)
    assert response.status_code == 400, response.content
    assert response.json()["error_msg"].startswith("shoot_scripts: the video would last about 1 h 20 min")
    assert response.json()["error_msg"].endswith("a video may last at most 1 h")
    body["shoot_scripts"].pop()
    assert submit(alice_client, project, body).status_code == 200


@pytest.mark.django_db
def test_the_limits_follow_the_settings(alice_client, project, settings):
    settings.COMPOSER_MAX_SCENE_SECONDS = 120
    response = submit(alice_client, project, with_text(breaks(3)))
    assert response.status_code == 400
    assert response.json()["error_msg"].endswith("a scene may last at most 2 min")
    settings.COMPOSER_MAX_SCENE_SECONDS = 3600
    assert submit(alice_client, project, with_text(breaks(3))).status_code == 200


@pytest.mark.django_db
def test_declared_audio_and_looping_video_layers_count(alice_client, alice, project, settings, tmp_path):
    from composer.assets.services import upload_new_asset

    settings.COMPOSER_MAX_SCENE_SECONDS = 60
    audio = create_body()
    audio["shoot_scripts"][0]["shoot_script"] = {
        "script_type": "AUDIO", "audio_drive_file_external_url": "https://example.com/a.mp3", "audio_duration": 3600,
        "background_config": [{"background_type": "COLOR", "background_color_config": "#FFFFFF"}]}
    response = submit(alice_client, project, audio)
    assert response.status_code == 400
    assert response.json()["error_msg"].startswith(
        "shoot_scripts[0].shoot_script.audio_duration: the scene would last about 1 h (")

    clip = upload_new_asset(project, {"asset_name": "clip", "asset_type": "VIDEO"},
                            SimpleUploadedFile("c.mp4", mp4_bytes(tmp_path / "c.mp4", frames=25)), user=alice)
    looping = create_body()
    looping["shoot_scripts"][0]["shoot_script"]["layer_config"] = [{
        "layer_type": "VIDEO", "asset_id": clip.id, "position": {"dx": 0, "dy": 0, "layer_index": 1},
        "size": {"width": 640, "height": 360},
        "video_config": {"loop_count": 100, "is_play_the_entire_video": True}}]
    response = submit(alice_client, project, looping)
    assert response.status_code == 400, response.content
    assert response.json()["error_msg"].startswith(
        "shoot_scripts[0].shoot_script.layer_config[0].video_config.loop_count: the scene would last about "
        "1 min 40 s")


@pytest.mark.django_db
def test_the_editor_check_and_saving_a_script_say_the_same(alice_client, project):
    refused = submit(alice_client, project, with_text(BREAKS_16_HOURS)).json()["error_msg"]
    rule = refused.split(": ", 1)[1]
    check = alice_client.post(f"/v1/{project.id}/ssml-checks", {"text": BREAKS_16_HOURS}, format="json").json()
    assert check["valid"] is False and check["max_seconds"] == 3600
    assert check["estimated_seconds"] == 60000
    assert [e["message"] for e in check["errors"]] == [rule]
    assert alice_client.get(f"/v1/{project.id}/ssml-checks").json()["max_scene_seconds"] == 3600
    saved = alice_client.post(f"/v1/{project.id}/digital-human-video-scripts",
                              {"script_name": "long", **create_composition(BREAKS_16_HOURS)}, format="json")
    assert saved.status_code == 400
    assert saved.json()["error_msg"] == refused
    ok = alice_client.post(f"/v1/{project.id}/ssml-checks", {"text": breaks(2)}, format="json").json()
    assert ok["valid"] is True and ok["errors"] == []


def small_spec(text: str) -> dict:
    body = with_text(text)
    body["video_config"].update({"clip_mode": "CROP", "width": 320, "height": 180, "dx": 1200, "dy": 100,
                                 "bitrate": 1000})
    return validate_create_body(body)


def stored_job(alice, project, text: str) -> VideoJob:
    """Stored directly (accepted before the limits were lowered), so that no worker races the test."""
    return VideoJob.objects.create(project=project, created_by=alice, spec=small_spec(text))


@pytest.mark.django_db(transaction=True)
def test_a_scene_that_grows_past_the_limit_stops_and_the_job_fails_saying_why(alice, project, settings):
    job = stored_job(alice, project, '<speak>Hello.<break time="3s"/>Goodbye.</speak>')
    settings.COMPOSER_MAX_SCENE_SECONDS = 1
    claimed = engine.claim_job(job.pk)
    assert claimed is not None
    assert engine.render_scene(job.pk, 0, claimed.claim_token) is False
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error_code == "MSS.00000012"
    assert job.error_msg.startswith("Scene 1: The render was stopped: the scene reached 1 s (")
    assert job.error_msg.endswith("frames); a scene may last at most 1 s")
    # It stopped at the limit (a quarter past it), not at the end of the speech.
    assert SceneRender.objects.get(job=job).frames_done <= 32 + 5


@pytest.mark.django_db(transaction=True)
def test_a_job_planned_past_the_video_limit_fails_before_rendering(alice, project, settings):
    job = stored_job(alice, project, breaks(3))
    settings.COMPOSER_MAX_VIDEO_SECONDS = 60
    tasks.start_job(str(job.pk))
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error_msg == "The video would last about 3 min 1 s; a video may last at most 1 min"
    assert SceneRender.objects.filter(job=job, frames_done__gt=0).count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_render_past_its_wall_time_stops_with_the_reason(alice, project, settings):
    job = stored_job(alice, project, "Hello there, this takes a moment.")
    settings.COMPOSER_MAX_RENDER_SECONDS = 0
    claimed = engine.claim_job(job.pk)
    assert engine.render_scene(job.pk, 0, claimed.claim_token) is False
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error_code == "MSS.00000012"
    assert job.error_msg == ("Scene 1: The render was stopped: it was still running 0 s after it started, the "
                             "longest a render may take")
