"""Faults under load on the scale-out stack: workers stopped and killed mid-render, Redis and PostgreSQL restarted.

Every accepted job must end SUCCEED, or FAILED with its reason (a scene whose worker died on it
COMPOSER_JOB_MAX_ATTEMPTS times), none may be lost, and none may publish its video twice. Renders are tiny
(320x180, a sentence or two) so that the faults, not the renders, take the time.

The services are really restarted (tests/support/services.py: Redis without persistence, so its queue is lost;
PostgreSQL with pg_ctlcluster) and always brought back. Where they cannot be restarted from here (not root, no
local cluster), every connection of this stack is dropped instead, which is the same fault for PostgreSQL and a
milder one for Redis (its messages survive)."""
from __future__ import annotations

import os
import signal
import time

import pytest

from tests.support import services
from tests.support.scale_jobs import small_body, submit, wait_final
from tests.support.stack import BIN
from tests.support.waiting import wait_for

pytestmark = pytest.mark.scale

WORKERS = ("worker1", "worker2")
# Quicker to notice a dead worker, and no rig warm-up competing with the renders each time a worker starts.
# The stack of this module (tests/scale/conftest.py): quicker to notice a dead worker, and no rig warm-up competing
# with the renders each time a worker starts.
STACK_ENV = {"COMPOSER_STALE_AFTER_SECONDS": "5", "COMPOSER_WARMUP": "0", "COMPOSER_WEB_PROCESSES": "1"}
EXIT_SECONDS = 15      # a render under way would take far longer to end by itself


def rows(cluster, query: str, *params) -> list:
    """cluster.sql, or [] while PostgreSQL is being restarted."""
    import psycopg

    try:
        return cluster.sql(query, *params)
    except psycopg.Error:
        return []


def rendering(cluster, job_ids, *, first_attempt: bool = False, composing: bool = True):
    """(job id, worker name, pid) of a scene being rendered by one of the stack's workers: composing frames, or
    (`composing` False) anywhere from its speech on."""
    live = {cluster.processes[name].pid: name for name in WORKERS if cluster.processes[name].poll() is None}
    for job_id, worker, attempts in rows(
            cluster, "select job_id::text, worker, attempts from jobs_scenerender where job_id = any(%s::uuid[]) "
                     "and state = 'PROCESSING' and frames_done >= %s order by attempts", job_ids,
            1 if composing else 0):
        pid = int(worker.rsplit(":", 1)[1])
        if pid in live and (attempts == 1 or not first_attempt):
            return job_id, live[pid], pid
    return None


def finished(cluster, job_ids) -> list:
    return rows(cluster, "select id from jobs_videojob where id = any(%s::uuid[]) and state = 'SUCCEED'", job_ids)


def assert_every_job_ended_once(cluster, final: dict[str, dict]) -> None:
    for job_id, job in final.items():
        assert job["state"] in ("SUCCEED", "FAILED"), job
        outputs = cluster.sql("select id from assets_asset where meta->>'job_id' = %s", job_id)
        if job["state"] == "FAILED":
            assert job["error_msg"] and job["error_code"], job
            assert outputs == [], job
            continue
        assert len(outputs) == 1, (job_id, outputs)
        asset_id = job["output_asset_config"]["asset_id"]
        assert len(list((cluster.tmp / "media" / "assets").rglob(f"{asset_id}/*.mp4"))) == 1
        assert not (cluster.tmp / "media" / "work" / job_id).exists()


def test_sigterm_hands_the_scene_to_the_other_worker_within_seconds(cluster):
    text = " ".join(["A worker asked to stop gives this scene to another and exits."] * 3)
    job_id = submit(cluster, small_body(text))
    _, victim, pid = wait_for(lambda: rendering(cluster, [job_id]), timeout=120)
    os.killpg(pid, signal.SIGTERM)
    assert cluster.processes[victim].wait(timeout=EXIT_SECONDS) == 0
    job = wait_final(cluster, [job_id], timeout=180)[job_id]
    assert job["state"] == "SUCCEED", job
    # Handed back (its attempt given back) and rendered by the other worker: one attempt counted, one output.
    [(attempts, worker)] = cluster.sql("select attempts, worker from jobs_scenerender where job_id = %s::uuid",
                                       job_id)
    assert attempts == 1 and int(worker.rsplit(":", 1)[1]) != pid, (attempts, worker)
    assert_every_job_ended_once(cluster, {job_id: job})
    cluster.start_worker(victim)


def test_a_prefork_worker_stopped_with_sigterm_hands_its_scene_back(cluster):
    """`make worker`'s default pool renders in forked children: SIGTERM to the parent alone (as `kill PID` or
    `docker stop` send it) reaches the child's render too, which hands the scene back before the worker exits."""
    for name in WORKERS:
        cluster.stop_process(name)
    cluster.spawn("prefork", str(BIN / "celery"), "-A", "composer.celery", "worker", "-P", "prefork", "-c", "1",
                  "-n", "prefork@%h", "-l", "info", "-Q", cluster.env["COMPOSER_QUEUE"])
    log = cluster.tmp / "prefork.log"
    wait_for(lambda: "ready." in log.read_text(), timeout=120)
    job_id = submit(cluster, small_body(" ".join(["A forked child stops when its parent is asked to."] * 3)))
    wait_for(lambda: rows(cluster, "select 1 from jobs_scenerender where job_id = %s::uuid and state = "
                                   "'PROCESSING' and frames_done > 0", job_id), timeout=120, interval=0.05)
    os.kill(cluster.processes["prefork"].pid, signal.SIGTERM)
    assert cluster.processes["prefork"].wait(timeout=EXIT_SECONDS) == 0
    assert cluster.sql("select state, attempts from jobs_scenerender where job_id = %s::uuid",
                       job_id) == [("WAITING", 0)], log.read_text()[-3000:]
    for name in WORKERS:
        cluster.start_worker(name)
    job = wait_final(cluster, [job_id], timeout=180)[job_id]
    assert job["state"] == "SUCCEED", job
    assert_every_job_ended_once(cluster, {job_id: job})


def test_ten_workers_killed_mid_render_lose_and_duplicate_nothing(cluster):
    job_ids = [submit(cluster, small_body(f"Job {n} outlives the workers killed under it.")) for n in range(4)]

    def next_victim():
        found = rendering(cluster, job_ids, first_attempt=True, composing=False)
        if found is None and len(rows(cluster, "select 1 from jobs_videojob where id = any(%s::uuid[]) and state "
                                               "= 'WAITING'", job_ids)) < 2:
            # Keep work coming, so that there is always a render to kill.
            job_ids.extend(submit(cluster, small_body(f"Job {len(job_ids) + n} comes later.")) for n in range(2))
        return found

    for _ in range(10):
        _, victim, pid = wait_for(next_victim, timeout=120, interval=0.05)
        os.killpg(pid, signal.SIGKILL)
        cluster.processes[victim].wait(timeout=10)
        # A new worker takes the dead one's place; the scene is found silent and rendered again.
        cluster.start_worker(victim, wait=False)
    final = wait_final(cluster, job_ids, timeout=240)
    assert_every_job_ended_once(cluster, final)
    # Only scenes on their first attempt were killed: no job used up its attempts.
    assert all(job["state"] == "SUCCEED" for job in final.values()), final


def test_redis_and_postgresql_restarted_under_load_lose_and_duplicate_nothing(cluster):
    job_ids = [submit(cluster, small_body(f"Job {n} renders while the services restart. " * 2)) for n in range(8)]
    wait_for(lambda: rendering(cluster, job_ids), timeout=120, interval=0.05)
    if services.can_restart():
        services.restart_redis()
        # The queued starts were lost with Redis's data: a worker's reaper sent them again.
        wait_for(lambda: any("waiting job(s) sent again" in log.read_text() for log in cluster.tmp.glob("worker*.log")),
                 timeout=60)
    else:
        drop_redis_clients(cluster)
    # PostgreSQL goes once the stack works again: a job finishes after Redis came back.
    succeeded = len(finished(cluster, job_ids))
    wait_for(lambda: len(finished(cluster, job_ids)) > succeeded and rendering(cluster, job_ids), timeout=180,
             interval=0.05)
    if services.can_restart():
        services.restart_postgres(cluster.server_url)
    else:
        cluster.sql("select pg_terminate_backend(pid) from pg_stat_activity where datname = %s "
                    "and pid <> pg_backend_pid()", cluster.database_name)
    final = wait_final(cluster, job_ids, timeout=240)
    assert_every_job_ended_once(cluster, final)
    assert all(job["state"] == "SUCCEED" for job in final.values()), final
    # The stack serves on: a job submitted afterwards renders.
    after = submit(cluster, small_body("After the restarts."))
    assert wait_final(cluster, [after], timeout=120)[after]["state"] == "SUCCEED"


def drop_redis_clients(cluster) -> None:
    import redis

    client = redis.Redis.from_url(cluster.env["REDIS_URL"])
    client.execute_command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
    client.execute_command("CLIENT", "KILL", "TYPE", "pubsub")
    time.sleep(1)
