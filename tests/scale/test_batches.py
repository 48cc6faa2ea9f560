"""Scale-out batches: a template approved through the API and rendered as a 50-row batch over two Celery workers
on PostgreSQL and Redis, every row once, the scene no row changes rendered once for the whole batch; and a batch
whose worker is killed mid-way still finishes every row once."""
from __future__ import annotations

import json
import time

import av
import httpx
import pytest

from tests.support.scale_jobs import kill_worker_rendering, small_body

pytestmark = pytest.mark.scale

# Four of a batch's jobs queued at a time: eight scenes in the queue, so both workers often reach the shared first
# scene of different jobs at the same moment (the case the scene cache's render turn is for).
STACK_ENV = {"COMPOSER_BATCH_PARALLEL": "4"}


def api_as(cluster, user: str):
    token = json.loads(cluster.manage("authtoken", "--username", user))["token"]

    def call(method, path, **kwargs):
        return httpx.request(method, f"{cluster.base}/v1/{cluster.project_id}{path}",
                             headers={"X-Auth-Token": token}, timeout=30, **kwargs)

    return call


def approved_template(cluster, shared_text: str) -> str:
    """A two-scene template saved by alice and approved by bob through the API: the first scene says
    `shared_text` (no variable), the second greets {{first_name}}. Tiny video: 320x180, one sentence a scene."""
    alice, bob = api_as(cluster, "alice"), api_as(cluster, "bob")
    parts = small_body(shared_text, scenes=2)
    parts.pop("output_asset_config")
    parts["shoot_scripts"][1]["shoot_script"]["text_config"]["text"] = "<speak>Hello {{first_name}}.</speak>"
    parts["template"] = {"variables": [{"name": "first_name", "kind": "text", "sample": "Ann", "max_length": 40}],
                         "output_name": "Welcome {{first_name}}"}
    created = alice("POST", "/digital-human-video-scripts", json={"script_name": "Welcome", **parts})
    assert created.status_code == 200, created.text
    script_id = created.json()["script_id"]
    asked = alice("POST", f"/digital-human-video-scripts/{script_id}/approval-requests", json={})
    assert asked.status_code == 200, asked.text
    approved = bob("POST", f"/digital-human-video-scripts/{script_id}/approve", json={"comment": "Ship it"})
    assert approved.status_code == 200, approved.text
    return script_id


def start_batch(cluster, script_id: str, names: list[str]) -> dict:
    response = cluster.api("POST", "/video-batches", json={"script_id": script_id,
                                                          "rows": [{"first_name": name} for name in names]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["job_ids"]) == len(names)
    return body


def wait_batch(cluster, batch_id: str, timeout: float) -> dict:
    """The batch as the API shows it once every row's job is final (a refused connection is waited through)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            response = cluster.api("GET", f"/video-batches/{batch_id}")
        except httpx.HTTPError:
            response = None
        if response is not None and response.status_code == 200:
            batch = response.json()
            if all(row["state"] in ("SUCCEED", "FAILED", "CANCELED") for row in batch["rows"]):
                return batch
        time.sleep(1)
    raise AssertionError(f"batch {batch_id} still rendering after {timeout} s")


def assert_every_row_succeeded_once(cluster, batch: dict) -> None:
    rows = len(batch["rows"])
    assert batch["counts"]["SUCCEED"] == rows and sum(batch["counts"].values()) == rows, batch["counts"]
    per_row = cluster.sql("select batch_row, count(*), count(*) filter (where state = 'SUCCEED'), "
                          "min(output_asset_id::text) from jobs_videojob where batch_id = %s::uuid "
                          "group by batch_row order by batch_row", batch["batch_id"])
    assert [(row, made, succeeded) for row, made, succeeded, _ in per_row] == [(i, 1, 1) for i in range(rows)]
    # Each job's two scenes were rendered (or reused) and kept; each job has one output, whose file exists.
    scenes = cluster.sql("select count(*) from jobs_scenerender s join jobs_videojob j on s.job_id = j.id "
                         "where j.batch_id = %s::uuid and s.state = 'DONE'", batch["batch_id"])
    assert scenes[0][0] == 2 * rows
    outputs = cluster.sql("select meta->>'job_id', count(*) from assets_asset where meta->>'job_id' = "
                          "any(%s) group by 1", [row["job_id"] for row in batch["rows"]])
    assert sorted(outputs) == sorted((row["job_id"], 1) for row in batch["rows"])
    files = {asset_id: list((cluster.tmp / "media" / "assets").rglob(f"{asset_id}/*.mp4"))
             for *_, asset_id in per_row}
    assert all(len(found) == 1 for found in files.values()), files


def finished_renders(cluster, batch_id: str, index: int) -> int:
    """How many of the batch's scene `index` were rendered rather than taken from the scene cache (a reused scene's
    result says "reused"; a render a killed worker did not finish left no result)."""
    rows = cluster.sql("select count(*) from jobs_scenerender s join jobs_videojob j on s.job_id = j.id "
                       "where j.batch_id = %s::uuid and s.index = %s and s.state = 'DONE' "
                       "and coalesce((s.result->>'reused')::boolean, false) = false", batch_id, index)
    return rows[0][0]


def test_a_fifty_row_batch_renders_every_row_once_and_the_shared_scene_once(cluster):
    script_id = approved_template(cluster, "Welcome to the team.")
    names = [f"Guest {n}" for n in range(50)]
    batch = wait_batch(cluster, start_batch(cluster, script_id, names)["batch_id"], timeout=1500)

    assert_every_row_succeeded_once(cluster, batch)
    assert finished_renders(cluster, batch["batch_id"], 0) == 1
    assert finished_renders(cluster, batch["batch_id"], 1) == 50
    # Both workers rendered for the batch.
    workers = cluster.sql("select count(distinct s.worker) from jobs_scenerender s join jobs_videojob j "
                          "on s.job_id = j.id where j.batch_id = %s::uuid", batch["batch_id"])
    assert workers[0][0] == 2
    # A row's video decodes: both scenes joined, the shared one included.
    job = cluster.api("GET", f"/2d-digital-human-videos/{batch['rows'][7]['job_id']}").json()
    video = next((cluster.tmp / "media" / "assets").rglob(f"{job['output_asset_config']['asset_id']}/*.mp4"))
    with av.open(str(video)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    scene_frames = cluster.sql("select sum(frames_done) from jobs_scenerender where job_id = %s::uuid",
                               job["job_id"])
    assert frames >= scene_frames[0][0] > 0


def test_a_worker_killed_mid_batch_loses_and_duplicates_no_row(cluster):
    script_id = approved_template(cluster, "This batch outlives a worker.")
    batch_id = start_batch(cluster, script_id, [f"Member {n}" for n in range(12)])["batch_id"]
    victim, killed = kill_worker_rendering(
        cluster, "select s.job_id, s.index, s.worker from jobs_scenerender s join jobs_videojob j "
                 "on s.job_id = j.id where j.batch_id = %s::uuid and s.state = 'PROCESSING' and s.frames_done > 0 "
                 "and j.batch_row >= 2", batch_id)
    # The other worker finishes the batch alone (its reaper re-queues the killed worker's scene).
    batch = wait_batch(cluster, batch_id, timeout=900)

    assert_every_row_succeeded_once(cluster, batch)
    job_id, index, holder = killed
    again = cluster.sql("select attempts, worker from jobs_scenerender where job_id = %s and index = %s",
                        job_id, index)
    assert again[0][0] == 2 and again[0][1] != holder
    assert finished_renders(cluster, batch_id, 0) == 1
    assert not any((cluster.tmp / "media" / "work" / row["job_id"]).exists() for row in batch["rows"])
    cluster.start_worker(victim)
