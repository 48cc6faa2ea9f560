"""The video page's numbers: the frame counter counts the whole job from the start (reused scenes as done), the
time left stays near the real time left from the first seconds, and the live preview is a readable frame."""
from __future__ import annotations

import base64
import io
import time

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from PIL import Image

from composer.jobs import progress
from composer.jobs.models import JobState, SceneRender, VideoJob
from composer.realtime.routing import websocket_urlpatterns
from tests.support.factories import create_body

pytestmark = pytest.mark.django_db(transaction=True)

LINES = ["Welcome to the spring launch of our new product line.",
         "Every model is lighter, faster and easier to carry.",
         "Order this week and delivery is free across the country.",
         "Thank you for watching, and see you at the store."]


def body(lines: list[str]) -> dict:
    """Several scenes cut to a 960x540 window of the layout: quick to render, wide enough for the preview."""
    spec = create_body()
    spec["video_config"].update({"clip_mode": "CROP", "width": 960, "height": 540, "dx": 800, "dy": 100,
                                 "bitrate": 1500})
    first = spec["shoot_scripts"][0]
    spec["shoot_scripts"] = [{**first, "sequence_no": i,
                              "shoot_script": {**first["shoot_script"], "text_config": {"text": line}}}
                             for i, line in enumerate(lines)]
    return spec


def watch(user, client, project, spec) -> tuple[str, list[tuple[float, dict, str | None]]]:
    """Submit `spec` and record every update of its job (time received, job payload, preview) until it ends."""
    async def run():
        job_id = await database_sync_to_async(
            lambda: client.post(f"/v1/{project.id}/2d-digital-human-videos", spec, format="json").json()["job_id"])()
        communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns),
                                             f"/ws/projects/{project.id}/jobs/{job_id}/")
        communicator.scope["user"] = user
        connected, _ = await communicator.connect()
        assert connected
        seen = []
        while True:
            message = await communicator.receive_json_from(timeout=300)
            if message.get("type") != "job" or message["job"]["job_id"] != job_id:
                continue
            seen.append((time.monotonic(), message["job"], message.get("preview")))
            if message["job"]["state"] in ("SUCCEED", "FAILED", "CANCELED"):
                break
        await communicator.disconnect()
        return job_id, seen

    return async_to_sync(run)()


def check_counter(seen, final_frames: int) -> None:
    running = [job["progress"] for _, job, _ in seen if job["state"] == "PROCESSING"]
    totals = [p["frames_total"] for p in running if p["frames_total"]]
    # The whole job's frames from the first update (the plan's estimate until each scene's speech is made).
    assert totals and totals[0] >= 0.75 * final_frames and totals[0] <= 1.3 * final_frames, (totals[0], final_frames)
    done = [p["frames_done"] for p in running] + [seen[-1][1]["progress"]["frames_done"]]
    assert done == sorted(done), done
    assert seen[-1][1]["progress"]["frames_done"] == seen[-1][1]["progress"]["frames_total"] == final_frames


def test_the_counter_eta_and_preview_of_a_multi_scene_render(alice, alice_client, project, embedded_worker):
    # A first render of the video: the machine's measured rate for this output size comes from it.
    progress._priors.clear()
    first_id, first = watch(alice, alice_client, project, body(LINES[:3]))
    first_job = VideoJob.objects.get(pk=first_id)
    assert first_job.state == JobState.SUCCEED, first_job.error_msg
    check_counter(first, first_job.frames_total)
    previews = [Image.open(io.BytesIO(base64.b64decode(p.split(",", 1)[1]))) for _, _, p in first if p]
    assert previews and all(image.width >= 640 for image in previews), [image.size for image in previews]
    render_seconds = first[-1][0] - first[0][0]
    assert len(previews) <= render_seconds + 2        # at most about one a second

    # The same video with its last scene changed and one more: two scenes reused, two rendered.
    progress._priors.clear()
    lines = [*LINES[:2], "Order today and delivery is free across the whole country.", LINES[3]]
    job_id, seen = watch(alice, alice_client, project, body(lines))
    job = VideoJob.objects.get(pk=job_id)
    assert job.state == JobState.SUCCEED, job.error_msg
    check_counter(seen, job.frames_total)
    reused = sum(s.frames_total for s in SceneRender.objects.filter(job=job) if (s.result or {}).get("reused"))
    assert reused > 0
    assert any(j["state"] == "PROCESSING" and j["progress"]["frames_done"] >= reused for _, j, _ in seen[:-1])

    # The time left against the time it really took, over the render's first seconds.
    end = seen[-1][0]
    start = next(t for t, j, _ in seen if j["state"] == "PROCESSING")
    estimates = [(t, j["progress"]["eta_seconds"]) for t, j, _ in seen
                 if j["state"] == "PROCESSING" and j["progress"]["eta_seconds"] is not None and t - start <= 20]
    assert len(estimates) >= 3
    for t, eta in estimates:
        actual = end - t
        if actual < 2:
            continue                                   # the last moments: a second either way is not a swing
        assert actual / 2 - 1 <= eta <= actual * 2 + 1, (round(t - start, 1), round(eta, 1), round(actual, 1))
