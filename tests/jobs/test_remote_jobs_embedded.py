"""End to end through the queue: in a project whose render target is MetaStudio (a second Composer server
standing in), a job submitted through the API is sent there by the worker, followed until it is done there, and
its video comes home; canceling it here cancels it there."""
from __future__ import annotations

import av
import pytest

from composer.assets.models import Asset
from composer.jobs.models import JobState, Stage, VideoJob
from composer.teams.render_target import set_render_target
from tests.support.jobs import small_body, submit
from tests.support.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def remote_project(standin, remote_allowed, settings, project):
    settings.COMPOSER_REMOTE_POLL_SECONDS = 1
    set_render_target(project, {"kind": "metastudio", "endpoint": standin.base, "ak": standin.ak,
                                "sk": standin.sk, "remote_project_id": standin.project_id}, by=None)
    return project


def imported_body(project) -> dict:
    """small_body() naming the stand-in's presets as avatars and voices imported from it (a MetaStudio job may
    name only those)."""
    body = small_body()
    for key, holder, asset_type in (("model_asset_id", body, "HUMAN_MODEL_2D"),
                                    ("voice_asset_id", body["voice_config"], "VOICE_MODEL")):
        holder[key] = Asset.objects.create(project=project, name=key, asset_type=asset_type, state="ACTIVED",
                                           source="metastudio", remote_asset_id=holder[key]).id
    return body


def sent_job(job_id) -> VideoJob:
    return wait_for(lambda: (job := VideoJob.objects.get(pk=job_id)).remote_job_id and job, timeout=60)


def test_a_submitted_job_renders_there_and_comes_home(standin, remote_project, alice_client, embedded_worker):
    job_id = submit(alice_client, remote_project, imported_body(remote_project))
    job = sent_job(job_id)
    assert job.stage == Stage.REMOTE and job.state == JobState.PROCESSING
    shown = alice_client.get(f"/v1/{remote_project.id}/2d-digital-human-videos/{job_id}").json()
    assert shown["state"] == "PROCESSING" and shown["progress"]["stage"] == "remote"
    assert standin.api("GET", f"/2d-digital-human-videos/{job.remote_job_id}").status_code == 200

    standin.settle(job.remote_job_id, "SUCCEED")
    done = wait_for(lambda: (row := VideoJob.objects.get(pk=job_id)).is_final and row, timeout=60)
    assert done.state == JobState.SUCCEED, done.error_msg
    shown = alice_client.get(f"/v1/{remote_project.id}/2d-digital-human-videos/{job_id}").json()
    assert shown["state"] == "SUCCEED"
    video = alice_client.get(shown["output_asset_config"]["preview_video_url"])
    assert video.status_code == 200


def test_canceling_here_cancels_there(standin, remote_project, alice_client, embedded_worker):
    job_id = submit(alice_client, remote_project, imported_body(remote_project))
    job = sent_job(job_id)
    assert alice_client.post(f"/v1/{remote_project.id}/2d-digital-human-videos/{job_id}/cancel", {},
                             format="json").status_code == 200
    wait_for(lambda: standin.api("GET", f"/2d-digital-human-videos/{job.remote_job_id}").json()["state"]
             == "CANCELED", timeout=60)


def test_a_job_rendered_there_for_real_comes_home_as_a_playable_video(rendering_standin, remote_allowed, settings,
                                                                        project, alice_client, embedded_worker):
    """No settling by hand: the stand-in's own worker renders the job (speech, presenter, encode) while ours
    follows it, and the video that comes home decodes with its size, length and sound."""
    settings.COMPOSER_REMOTE_POLL_SECONDS = 1
    set_render_target(project, {"kind": "metastudio", "endpoint": rendering_standin.base, "ak": rendering_standin.ak,
                                "sk": rendering_standin.sk, "remote_project_id": rendering_standin.project_id},
                      by=None)
    job_id = submit(alice_client, project, imported_body(project))
    done = wait_for(lambda: (row := VideoJob.objects.get(pk=job_id)).is_final and row, timeout=300)
    assert done.state == JobState.SUCCEED, done.error_msg
    there = rendering_standin.api("GET", f"/2d-digital-human-videos/{done.remote_job_id}").json()
    assert there["state"] == "SUCCEED"
    output = Asset.objects.get(pk=done.output_asset_id)
    with av.open(output.file.path) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert (video.codec_context.width, video.codec_context.height) == (320, 180)
        assert video.codec_context.name == "h264" and audio.codec_context.name == "aac"
        frames = sum(1 for _ in container.decode(video=0))
    assert frames >= 25 and abs(frames / 25 - there["duration"]) < 0.2
