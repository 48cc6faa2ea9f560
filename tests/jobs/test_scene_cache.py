"""Re-rendering after a small edit renders only the changed scenes; the rest come from the scene cache."""
from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import av
import numpy as np
import pytest

from composer.jobs import scene_cache
from composer.jobs.models import JobState, SceneRender, VideoJob
from tests.support.factories import create_body
from tests.support.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def two_scenes(second: str, **voice) -> dict:
    body = create_body()
    body["video_config"].update({"clip_mode": "CROP", "width": 320, "height": 180, "dx": 1200, "dy": 100,
                                 "bitrate": 1000})
    body["voice_config"].update(voice)
    first = body["shoot_scripts"][0]
    first["shoot_script"]["text_config"]["text"] = "The first scene stays the same."
    second_scene = json.loads(json.dumps(first))
    second_scene["sequence_no"] = 1
    second_scene["shoot_script"]["text_config"]["text"] = second
    body["shoot_scripts"] = [first, second_scene]
    return body


def render(client, project, body) -> VideoJob:
    response = client.post(f"/v1/{project.id}/2d-digital-human-videos", body, format="json")
    assert response.status_code == 200, response.content
    job_id = response.json()["job_id"]
    job = wait_for(lambda: VideoJob.objects.filter(pk=job_id, state__in=["SUCCEED", "FAILED"]).first())
    assert job.state == JobState.SUCCEED, job.error_msg
    return job


def reused(job) -> list[bool]:
    return [bool((s.result or {}).get("reused")) for s in SceneRender.objects.filter(job=job).order_by("index")]


def frames_of(client, job) -> list[np.ndarray]:
    shown = client.get(f"/v1/{job.project_id}/2d-digital-human-videos/{job.id}").json()
    data = b"".join(client.get(shown["output_asset_config"]["preview_video_url"]).streaming_content)
    with av.open(io.BytesIO(data)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def test_an_edit_to_one_scene_renders_only_that_scene(alice_client, project, embedded_worker):
    first = render(alice_client, project, two_scenes("Then the second scene says this."))
    assert reused(first) == [False, False]
    edited = render(alice_client, project, two_scenes("Now the second scene says something else entirely."))
    assert reused(edited) == [True, False]
    # The reused scene is the same picture, the edited one is longer, and the video holds both.
    scenes = list(SceneRender.objects.filter(job=edited).order_by("index"))
    old, new = frames_of(alice_client, first), frames_of(alice_client, edited)
    kept = scenes[0].result["frames"]
    assert len(new) == kept + scenes[1].result["frames"] and len(new) > len(old)
    assert all(np.array_equal(a, b) for a, b in zip(old[:kept], new[:kept], strict=True))
    # The job's progress counted the reused frames too.
    edited.refresh_from_db()
    assert edited.frames_done == edited.frames_total == len(new) and edited.percent == 100


def test_a_voice_change_renders_every_scene_again(alice_client, project, embedded_worker):
    render(alice_client, project, two_scenes("Second scene."))
    faster = render(alice_client, project, two_scenes("Second scene.", speed=130))
    assert reused(faster) == [False, False]


def test_scenes_fetching_urls_are_never_cached(project):
    body = two_scenes("Second.")
    body["shoot_scripts"][1]["shoot_script"]["background_config"] = [
        {"background_type": "IMAGE", "background_config": "https://example.com/bg.png"}]
    assert scene_cache.scene_key(project, body, 0) is not None
    assert scene_cache.scene_key(project, body, 1) is None
    assert scene_cache.fetch(None, Path("unused")) is None            # no key: a miss, nothing touched


def test_the_least_recently_used_entries_go_first(tmp_path):
    for name, size, age in (("old", 600, 100), ("mid", 600, 50), ("new", 600, 10)):
        entry = tmp_path / name
        entry.mkdir()
        (entry / "segment.mp4").write_bytes(b"x" * size)
        (entry / "result.json").write_text("{}")
        stamp = time.time() - age
        os.utime(entry / "result.json", (stamp, stamp))
    scene_cache.prune(tmp_path, 1300)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mid", "new"]


def test_the_video_page_says_which_scenes_were_reused(client, alice, alice_client, project, embedded_worker):
    render(alice_client, project, two_scenes("Second scene, first take."))
    again = render(alice_client, project, two_scenes("Second scene, second take."))
    client.force_login(alice)
    page = client.get(f"/p/{project.id}/videos/{again.id}").content.decode()
    assert "(1 reused from an earlier render)" in page


def test_a_layers_timing_is_part_of_its_scenes_key(project):
    body = two_scenes("Second.")
    layer = {"layer_type": "TEXT", "position": {"dx": 10, "dy": 10, "layer_index": 2},
             "text_config": {"text_context": "SGk="}}
    body["shoot_scripts"][1]["shoot_script"]["layer_config"] = [layer]
    untimed = [scene_cache.scene_key(project, body, i) for i in (0, 1)]
    layer["timing"] = {"start": 1.0, "end": 2.0}
    timed = [scene_cache.scene_key(project, body, i) for i in (0, 1)]
    assert timed[0] == untimed[0] and timed[1] != untimed[1]
