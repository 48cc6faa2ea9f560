"""Small, quick render jobs for the scale-out suites: submitting them and waiting for their final states."""
from __future__ import annotations

import json
import os
import signal
import time

import httpx

from tests.support.factories import create_body


def small_body(text: str, scenes: int = 1) -> dict:
    body = create_body()
    body["video_config"].update({"clip_mode": "CROP", "width": 320, "height": 180, "dx": 1200, "dy": 100,
                                 "bitrate": 1000})
    template = body["shoot_scripts"][0]
    body["shoot_scripts"] = []
    for index in range(scenes):
        scene = json.loads(json.dumps(template))
        scene["sequence_no"] = index
        scene["shoot_script"]["text_config"]["text"] = text
        body["shoot_scripts"].append(scene)
    return body


def submit(cluster, body) -> str:
    response = cluster.api("POST", "/2d-digital-human-videos", json=body)
    assert response.status_code == 200, response.text
    return response.json()["job_id"]


def show(cluster, job_id) -> dict:
    """The job as the API shows it; while a service is being restarted (a 503, a refused connection) {}."""
    try:
        response = cluster.api("GET", f"/2d-digital-human-videos/{job_id}")
    except httpx.HTTPError:
        return {}
    return response.json() if response.status_code == 200 else {}


def wait_final(cluster, job_ids, timeout=300) -> dict[str, dict]:
    deadline = time.monotonic() + timeout
    final: dict[str, dict] = {}
    while time.monotonic() < deadline and len(final) < len(job_ids):
        for job_id in job_ids:
            if job_id not in final:
                job = show(cluster, job_id)
                if job.get("state") in ("SUCCEED", "FAILED", "CANCELED"):
                    final[job_id] = job
        time.sleep(0.5)
    assert len(final) == len(job_ids), f"jobs still running after {timeout} s"
    return final


def kill_worker_rendering(cluster, query: str, *params, timeout: float = 120) -> tuple[str, tuple]:
    """SIGKILL (its whole process group) the worker rendering what `query` finds: the first row it returns once it
    returns any, whose last column is the rendering worker ("host:pid"). Returns the worker's name and that row."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = cluster.sql(query, *params)
        if rows:
            break
        time.sleep(0.1)
    assert rows, "nothing started rendering"
    pid = int(rows[0][-1].rsplit(":", 1)[1])
    victim = next(name for name in ("worker1", "worker2") if cluster.worker_pid(name) == pid)
    os.killpg(pid, signal.SIGKILL)
    cluster.processes[victim].wait(timeout=10)
    return victim, rows[0]
