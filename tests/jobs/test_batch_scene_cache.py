"""A batch renders a scene that no variable touches once, and every other row reuses it from the scene cache;
the scene that says the row's name is rendered for each row, and each video carries its own name."""
from __future__ import annotations

import av
import numpy as np
import pytest

from composer.assets.models import Asset
from composer.jobs.models import JobState, SceneRender, VideoJob
from composer.jobs.payloads import render_summary
from composer.scripts.models import ApprovalRequest, ApprovalState, Script
from tests.support.factories import create_composition
from tests.support.script_api import url
from tests.support.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SHARED = "Here is what changed this quarter."
NAMES = ["Ann", "Bo", "Cy"]


def two_scene_template() -> dict:
    """Scene 1 says the same to everyone; scene 2 thanks the row's {{first_name}} (small crop: a quick render)."""
    composition = create_composition(SHARED)
    composition["video_config"].update({"clip_mode": "CROP", "width": 320, "height": 180, "dx": 1200, "dy": 100,
                                        "bitrate": 1000})
    first = composition["shoot_scripts"][0]
    composition["shoot_scripts"].append({"sequence_no": 1, "shoot_script": {
        **first["shoot_script"], "text_config": {"text": "Thank you, {{first_name}}."}}})
    composition["template"] = {"variables": [{"name": "first_name", "kind": "text", "sample": "Ann"}],
                               "output_name": "Update for {{first_name}}"}
    return composition


def approved(client, project) -> str:
    response = client.post(url(project), {"script_name": "Update", **two_scene_template()}, format="json")
    assert response.status_code == 200, response.content
    script = Script.objects.select_related("head").get(pk=response.json()["script_id"])
    ApprovalRequest.objects.create(script=script, revision=script.head, content_hash=script.head.content_hash,
                                   state=ApprovalState.APPROVED)
    return script.id


def reused(job: VideoJob) -> list[bool]:
    """Per scene, whether the engine took it from the scene cache (scene_cache.fetch marks the result)."""
    return [bool((scene.result or {}).get("reused")) for scene in SceneRender.objects.filter(job=job).order_by("index")]


def frames(path: str, count: int) -> list[np.ndarray]:
    with av.open(path) as container:
        decoded = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    return decoded[:count]


def test_the_shared_scene_renders_once_for_the_whole_batch(alice_client, project, embedded_worker, settings):
    # One row at a time, so the first row has stored the shared scene before the next looks for it (rows rendered
    # at the same moment would each miss the cache and render it).
    settings.COMPOSER_BATCH_PARALLEL = 1
    script_id = approved(alice_client, project)
    response = alice_client.post(f"/v1/{project.id}/video-batches", {
        "script_id": script_id, "rows": [{"first_name": name} for name in NAMES]}, format="json")
    assert response.status_code == 200, response.content
    ids = response.json()["job_ids"]

    def final(job_id):
        job = VideoJob.objects.get(pk=job_id)
        return job.is_final and job
    jobs = [wait_for(lambda job_id=job_id: final(job_id), timeout=300) for job_id in ids]
    assert [job.state for job in jobs] == [JobState.SUCCEED] * 3, [job.error_msg for job in jobs]

    # The first row rendered both scenes; the others took the shared scene from the cache and rendered their own.
    assert [reused(job) for job in jobs] == [[False, False], [True, False], [True, False]]
    # What each video's page says of it: how many of its scenes were reused.
    assert [render_summary(job)["reused"] for job in jobs] == [0, 1, 1]

    assets = [Asset.objects.get(pk=job.output_asset_id, project=project) for job in jobs]
    assert [asset.name for asset in assets] == [f"Update for {name}" for name in NAMES]
    # Each video's subtitles say its own name and no other row's, after the same shared line.
    for asset, name in zip(assets, NAMES, strict=True):
        with asset.subtitle_srt.open("rb") as handle:
            srt = handle.read().decode()
        assert SHARED in srt and f"Thank you, {name}." in srt
        assert not any(other in srt for other in NAMES if other != name), srt
    # The shared scene is the same picture in every video, frame for frame; the videos as a whole differ.
    kept = SceneRender.objects.get(job=jobs[0], index=0).result["frames"]
    firsts = [frames(asset.file.path, kept) for asset in assets]
    assert all(len(first) == kept > 0 for first in firsts)
    assert all(np.array_equal(a, b) for other in firsts[1:] for a, b in zip(firsts[0], other, strict=True))
    contents = set()
    for asset in assets:
        with asset.file.open("rb") as handle:
            contents.add(handle.read())
    assert len(contents) == 3
