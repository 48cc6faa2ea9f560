"""Scale-out: many jobs over two workers, live progress across processes, a killed worker, parallel scenes."""
from __future__ import annotations

import json
import re
import time

import httpx
import pytest

from tests.support.scale_jobs import kill_worker_rendering, small_body, submit, wait_final

pytestmark = pytest.mark.scale


def login_cookies(cluster) -> dict[str, str]:
    with httpx.Client(base_url=cluster.base) as client:
        page = client.get("/login")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = client.post("/login", data={"username": "demo", "password": "demo",
                                               "csrfmiddlewaretoken": token},
                               headers={"Referer": f"{cluster.base}/login"})
        assert response.status_code == 302, response.text
        return dict(client.cookies)


def test_six_jobs_at_once_all_succeed_on_both_workers(cluster):
    job_ids = [submit(cluster, small_body(f"Job number {n} is rendering now.")) for n in range(6)]
    final = wait_final(cluster, job_ids)
    assert all(job["state"] == "SUCCEED" for job in final.values()), final
    workers = {row[0] for row in cluster.sql(
        "select distinct worker from jobs_scenerender where job_id = any(%s::uuid[])", job_ids)}
    pids = {w.rsplit(":", 1)[1] for w in workers}
    assert pids == {str(cluster.worker_pid("worker1")), str(cluster.worker_pid("worker2"))}


def test_progress_reaches_a_websocket_client_of_the_web_process(cluster):
    from websockets.sync.client import connect

    cookies = login_cookies(cluster)
    cookie_header = "; ".join(f"{k}={v}" for k, v in cookies.items())
    url = f"ws://127.0.0.1:{cluster.port}/ws/projects/{cluster.project_id}/jobs/"
    messages: list[dict] = []
    with connect(url, additional_headers={"Cookie": cookie_header, "Origin": cluster.base}) as ws:
        job_id = submit(cluster, small_body("Progress travels from a worker through Redis to this socket."))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            message = json.loads(ws.recv(timeout=60))
            if message["job"]["job_id"] == job_id:
                messages.append(message["job"])
                if message["job"]["state"] in ("SUCCEED", "FAILED"):
                    break
    assert messages[-1]["state"] == "SUCCEED"
    assert any(0 < m["progress"]["percent"] < 100 for m in messages)


def test_a_killed_worker_does_not_lose_or_duplicate_the_job(cluster):
    text = " ".join(["This job outlives the worker that started it."] * 6)
    job_id = submit(cluster, small_body(text))
    victim, (holder,) = kill_worker_rendering(
        cluster, "select worker from jobs_scenerender where job_id = %s::uuid and state = 'PROCESSING' "
                 "and frames_done > 0", job_id, timeout=60)

    job = wait_final(cluster, [job_id], timeout=240)[job_id]
    assert job["state"] == "SUCCEED", job
    attempts = cluster.sql("select attempts, worker from jobs_scenerender where job_id = %s::uuid", job_id)
    assert attempts[0][0] == 2 and attempts[0][1] != holder
    outputs = cluster.sql("select count(*) from assets_asset where meta->>'job_id' = %s", job_id)
    assert outputs[0][0] == 1
    asset_id = job["output_asset_config"]["asset_id"]
    assert len(list((cluster.tmp / "media" / "assets").rglob(f"{asset_id}/*.mp4"))) == 1
    # Neither the killed attempt nor the re-run left work files behind.
    assert not (cluster.tmp / "media" / "work" / job_id).exists()
    # Bring the cluster back to two workers for the tests that follow.
    cluster.start_worker(victim)


def test_a_two_scene_job_renders_its_scenes_on_both_workers(cluster):
    job_id = submit(cluster, small_body("Each scene of this job goes to its own worker.", scenes=2))
    job = wait_final(cluster, [job_id])[job_id]
    assert job["state"] == "SUCCEED", job
    workers = {row[0] for row in cluster.sql("select worker from jobs_scenerender where job_id = %s::uuid",
                                             job_id)}
    assert len(workers) == 2


def test_a_script_is_saved_approved_and_rendered_on_postgresql(cluster):
    """Revisions, a stale save, approval and a script job through the web process on PostgreSQL (its row locks
    are stricter than SQLite's: a lock taken over an outer join is refused there)."""
    tokens = {name: json.loads(cluster.manage("authtoken", "--username", name))["token"] for name in ("alice", "bob")}

    def call(user, method, path, **kwargs):
        return httpx.request(method, f"{cluster.base}/v1/{cluster.project_id}{path}",
                             headers={"X-Auth-Token": tokens[user]}, timeout=30, **kwargs)

    parts = small_body("Approved on PostgreSQL.")
    parts.pop("output_asset_config")
    created = call("alice", "POST", "/digital-human-video-scripts", json={"script_name": "On PostgreSQL", **parts})
    assert created.status_code == 200, created.text
    scripts = f"/digital-human-video-scripts/{created.json()['script_id']}"
    parts["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] = "Saved twice on PostgreSQL."
    assert call("alice", "PUT", scripts, json={"base_revision": 1, **parts}).status_code == 200
    stale = call("alice", "PUT", scripts, json={"base_revision": 1, **parts})
    assert stale.status_code == 409, stale.text
    assert call("alice", "POST", f"{scripts}/approval-requests", json={}).status_code == 200
    approved = call("bob", "POST", f"{scripts}/approve", json={"comment": "Fine"})
    assert approved.status_code == 200, approved.text
    job = call("bob", "POST", "/2d-digital-human-videos",
               json={"script_id": created.json()["script_id"], "output_asset_config": {"asset_name": "pg"}})
    assert job.status_code == 200, job.text
    final = wait_final(cluster, [job.json()["job_id"]])
    assert [j["state"] for j in final.values()] == ["SUCCEED"]


def test_a_revoked_token_is_refused_at_once_by_every_web_process(cluster):
    issued = cluster.api("POST", "/auth-tokens", json={"description": "short-lived"})
    assert issued.status_code == 200, issued.text
    token = issued.json()["token"]
    path = f"{cluster.base}/v1/{cluster.project_id}/digital-human-videos"
    # A new connection each time, so that every web process serves (and caches) the token.
    assert all(httpx.get(path, headers={"X-Auth-Token": token}).status_code == 200 for _ in range(12))
    assert cluster.api("DELETE", f"/auth-tokens/{issued.json()['id']}").status_code == 204
    assert {httpx.get(path, headers={"X-Auth-Token": token}).status_code for _ in range(12)} == {401}
    used = cluster.sql("select last_used_at from teams_authtoken where id = %s", issued.json()["id"])
    assert used[0][0] is not None


def test_fifty_clients_at_once_get_no_server_error(cluster):
    """A short burst of 50 concurrent clients without pauses (create, show, list as 20/60/20) against the
    production server: every answer is a 200, none is a 5xx (speed is measured by bench/api_bench.py), and the
    database connections stay within the pools' bound however many requests arrive."""
    import asyncio
    import random
    import threading

    from composer.settings import default_web_processes

    job_ids = [submit(cluster, small_body("Shown during the burst."))]
    statuses: dict[str, list[int]] = {"create": [], "show": [], "list": []}

    async def client(http, rng: random.Random, deadline: float) -> None:
        while time.monotonic() < deadline:
            op = rng.choices(["create", "show", "list"], [2, 6, 2])[0]
            if op == "create":
                response = await http.post("/2d-digital-human-videos", json=small_body("Burst."))
            elif op == "show":
                response = await http.get(f"/2d-digital-human-videos/{rng.choice(job_ids)}")
            else:
                response = await http.get("/digital-human-videos", params={"limit": 10})
            statuses[op].append(response.status_code)

    async def burst() -> None:
        limits = httpx.Limits(max_connections=50, max_keepalive_connections=50)
        async with httpx.AsyncClient(base_url=f"{cluster.base}/v1/{cluster.project_id}", limits=limits,
                                     headers={"X-Auth-Token": cluster.token}, timeout=60) as http:
            deadline = time.monotonic() + 5
            await asyncio.gather(*(client(http, random.Random(n), deadline) for n in range(50)))

    peak, done = [0], threading.Event()

    def watch_connections() -> None:
        while not done.is_set():
            rows = cluster.sql("select count(*) from pg_stat_activity where datname = %s", cluster.database_name)
            peak[0] = max(peak[0], rows[0][0])
            time.sleep(0.2)

    watcher = threading.Thread(target=watch_connections)
    watcher.start()
    try:
        asyncio.run(burst())
    finally:
        done.set()
        watcher.join()
    answered = {op: sorted(set(codes)) for op, codes in statuses.items()}
    assert all(codes == [200] for codes in answered.values()), answered
    assert sum(len(codes) for codes in statuses.values()) >= 50
    # Web processes and the two workers each hold at most a pool's worth (the default 10); +1 is the watcher.
    assert peak[0] <= (default_web_processes(redis=True) + 2) * 10 + 1, peak[0]
