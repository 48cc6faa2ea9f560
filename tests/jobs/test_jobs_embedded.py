"""Embedded mode end to end: API -> Celery worker thread -> render -> VIDEO asset, live progress, cancel."""
from __future__ import annotations

import av
import pytest
from asgiref.sync import async_to_sync
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from composer.assets.models import Asset
from composer.jobs.models import JobState, SceneRender, SceneState, VideoJob
from composer.realtime.routing import websocket_urlpatterns
from tests.support.jobs import small_body, submit
from tests.support.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def job(job_id) -> VideoJob:
    return VideoJob.objects.get(pk=job_id)


def test_a_submitted_job_renders_to_a_video_asset(alice_client, project, embedded_worker):
    job_id = submit(alice_client, project, small_body())
    done = wait_for(lambda: job(job_id).is_final and job(job_id))
    assert done.state == JobState.SUCCEED, done.error_msg
    assert done.percent == 100 and done.frames_done == done.frames_total > 0
    asset = Asset.objects.get(pk=done.output_asset_id, project=project)
    assert asset.asset_type == "VIDEO" and asset.name == "API test video"
    with av.open(asset.file.path) as container:
        video = container.streams.video[0]
        assert (video.codec_context.width, video.codec_context.height) == (320, 180)
        assert container.streams.audio
        frames = sum(1 for _ in container.decode(video=0))
    assert frames == done.frames_total
    assert asset.cover and asset.subtitle_srt and asset.subtitle_vtt
    shown = alice_client.get(f"/v1/{project.id}/2d-digital-human-videos/{job_id}").json()
    assert shown["state"] == "SUCCEED"
    assert shown["output_asset_config"]["asset_id"] == asset.id
    download = alice_client.get(shown["output_asset_config"]["preview_video_url"])
    assert download.status_code == 200
    assert alice_client.get(shown["output_asset_config"]["cover_url"]).status_code == 200


def test_a_websocket_client_sees_states_and_increasing_progress(alice, alice_client, project, embedded_worker):
    async def watch() -> list[dict]:
        communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/projects/{project.id}/jobs/")
        communicator.scope["user"] = alice
        connected, _ = await communicator.connect()
        assert connected
        from channels.db import database_sync_to_async

        job_id = await database_sync_to_async(submit)(alice_client, project, small_body("One. Two. Three."))
        seen = []
        while True:
            message = await communicator.receive_json_from(timeout=120)
            if message["job"]["job_id"] != job_id:
                continue
            seen.append(message["job"])
            if message["job"]["state"] in ("SUCCEED", "FAILED", "CANCELED"):
                break
        await communicator.disconnect()
        return seen

    seen = async_to_sync(watch)()
    states = [m["state"] for m in seen]
    assert "PROCESSING" in states and states[-1] == "SUCCEED"
    percents = [m["progress"]["percent"] for m in seen]
    assert percents == sorted(percents) and percents[-1] == 100
    assert any(0 < p < 100 for p in percents)


def test_a_stranger_cannot_watch(charlie, project):
    async def connect():
        communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/projects/{project.id}/jobs/")
        communicator.scope["user"] = charlie
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return connected, code

    connected, code = async_to_sync(connect)()
    assert not connected and code == 4403


def test_cancel_stops_a_running_render(alice_client, project, embedded_worker):
    from composer.jobs.engine import work_dir

    long_text = " ".join(["This sentence keeps the renderer busy for a while."] * 12)
    job_id = submit(alice_client, project, small_body(long_text))
    rendering = wait_for(lambda: (row := job(job_id)).state == JobState.PROCESSING and row.frames_done > 0 and row,
                         interval=0.05)
    folder = work_dir(rendering)
    assert folder.is_dir()
    assert alice_client.post(f"/v1/{project.id}/2d-digital-human-videos/{job_id}/cancel").status_code == 200
    assert job(job_id).state == JobState.CANCELED
    # The worker notices within a second, stops mid-scene and removes its work folder: the sign it has stopped.
    wait_for(lambda: not folder.exists(), timeout=10, interval=0.05)
    scene = SceneRender.objects.get(job_id=job_id)
    assert scene.state != SceneState.DONE and 0 < scene.frames_done < scene.frames_total
    assert job(job_id).state == JobState.CANCELED
    assert not job(job_id).output_asset_id
    assert not Asset.objects.filter(meta__job_id=job_id).exists()


def test_a_job_claimed_twice_renders_once(alice, project):
    from composer.jobs import engine
    from composer.spec import validate_create_body

    # Stored directly (not enqueued) so that no worker races the test for the claim.
    job_id = VideoJob.objects.create(project=project, created_by=alice,
                                     spec=validate_create_body(small_body())).pk
    first = engine.claim_job(job_id)
    assert first is not None
    assert engine.claim_job(job_id) is None
    assert engine.claim_scene(job_id, 0, "not-the-token") is None
