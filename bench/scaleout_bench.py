"""Throughput of one and of two render worker processes against the machine's CPU bound (prints figures; never a test).

The scale-out deployment of the README on this machine: PostgreSQL, Redis, the web server (`make serve`), and
`celery worker` processes started as `make worker` starts them (Celery's default pool, concurrency and encoder threads from the
settings' defaults, COMPOSER_WORKERS_PER_HOST set to the number of workers started). Each run gets a fresh database
and its own queue. Measured, after the workers are ready and have warmed up (one priming job per worker count):

- the CPU cost of a video second: the worker processes' CPU time (user + system, every process of the worker)
  while they render one one-scene job alone, divided by its video length;
- the CPU bound: available cores / that cost, in video seconds per wall second;
- the throughput of a 4-scene job and of six one-scene jobs submitted at once: their video seconds over the
  wall time from the first submission to the last finish (database timestamps), and its share of the bound.

Target: within 90% of the bound. Scenes: 1920x1080 (--size) H.264 at 4 Mbit/s, the avatar over a picture, about eight
seconds of speech each, every scene's text different (no render cache). The load average is printed: other work
on the machine takes cores from the workers, so figures from a busy machine are provisional.
Usage: .venv/bin/python bench/scaleout_bench.py [--workers 1,2] [--size 1920x1080] [--database-url URL]
       [--redis-url URL]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
TEXT = ("Scene {scene} of job {job}. Composer renders presenter videos on your own machine, scene by scene, with "
        "natural speech, a lip-synced avatar and subtitles, and then joins them into one video.")
FINAL = ("SUCCEED", "FAILED", "CANCELED")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU of every process in a process group, and of its children that have ended."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:          # fields after the name: state, ppid, pgrp, ...
            total += sum(int(v) for v in fields[11:15])   # utime, stime, cutime, cstime
    return total / tick


class Deployment:
    def __init__(self, tmp: Path, database_url: str, redis_url: str, size: tuple[int, int]):
        self.tmp = tmp
        self.size = size
        self.admin_url = database_url
        self.database = f"composer_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.database}"')
        self.database_url = urlunsplit(urlsplit(database_url)._replace(path=f"/{self.database}"))
        self.env = {**os.environ, "DATABASE_URL": self.database_url, "REDIS_URL": redis_url,
                    "COMPOSER_QUEUE": f"composer-bench-{uuid.uuid4().hex[:8]}", "COMPOSER_DATA_DIR": str(tmp),
                    "MEDIA_ROOT": str(tmp / "media"), "COMPOSER_EMBEDDED_WORKER": "0", "DEBUG": "0",
                    "ALLOWED_HOSTS": "127.0.0.1,localhost", "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
        self.processes: list[subprocess.Popen] = []
        self.port = free_port()

    def manage(self, *args: str) -> str:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def spawn(self, command: list[str], log: Path, **env: str) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=ROOT, env={**self.env, **env}, stdout=log.open("w"),
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(process)
        return process

    def start_web(self) -> None:
        self.manage("migrate", "--noinput")
        self.manage("seed_demo")
        self.project = json.loads(self.manage("accesskey", "--username", "demo", "--project", "demo"))["project_id"]
        self.token = json.loads(self.manage("authtoken", "--username", "demo"))["token"]
        # The production web server (make serve), one process: it only takes the submissions here, and renders
        # nothing, so no warm-up of its own takes CPU from the workers.
        self.spawn([sys.executable, "-m", "composer.serve", "--host", "127.0.0.1", "--port", str(self.port)],
                   self.tmp / "web.log", COMPOSER_WARMUP="0", COMPOSER_WEB_PROCESSES="1")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/login", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError("the web server did not start: " + (self.tmp / "web.log").read_text()[-2000:])

    def start_workers(self, count: int) -> list[subprocess.Popen]:
        """`count` worker processes as `make worker` starts them, each told how many share the machine; returned
        once every one has logged that it is ready and each of its render processes has warmed up."""
        workers = []
        for index in range(count):
            log = self.tmp / f"worker-{count}-{index}.log"
            workers.append((self.spawn([str(BIN / "celery"), "-A", "composer.celery", "worker", "-l", "info",
                                        "-Q", self.env["COMPOSER_QUEUE"], "-n", f"bench{count}-{index}@%h"],
                                       log, COMPOSER_WORKERS_PER_HOST=str(count)), log))
        deadline = time.monotonic() + 600
        for process, log in workers:
            while True:
                text = log.read_text()
                ready = re.search(r"render worker ready: (\d+) renders at once, (\d+) encoder", text)
                if ready and len(re.findall(r"warm-up: \d+ of \d+ presenter rigs", text)) >= int(ready[1]):
                    self.shape = (int(ready[1]), int(ready[2]))
                    break
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"a worker did not get ready: {text[-2000:]}")
                time.sleep(0.5)
        return [process for process, _ in workers]

    def stop(self, processes: list[subprocess.Popen]) -> None:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def close(self) -> None:
        self.stop(self.processes)
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def body(self, job: str, scenes: int) -> dict:
        return {
            "model_asset_id": "avatar-maya", "voice_config": {"voice_asset_id": "voice-en-us-joe"},
            "video_config": {"codec": "H264", "bitrate": 4000, "width": self.size[0], "height": self.size[1]},
            "shoot_scripts": [{"sequence_no": i, "shoot_script": {
                "script_type": "TEXT", "text_config": {"text": TEXT.format(scene=i + 1, job=job)},
                "background_config": [{"background_type": "IMAGE",
                                       "background_asset_id": "bg-studio-blue-landscape"}]}}
                for i in range(scenes)],
            "output_asset_config": {"asset_name": f"bench {job}"},
        }

    def run_jobs(self, bodies: list[dict]) -> tuple[float, float]:
        """Submit every body at once and wait for all; (video seconds, wall seconds first submission -> last end)."""
        headers = {"X-Auth-Token": self.token}
        base = f"http://127.0.0.1:{self.port}/v1/{self.project}"
        ids = []
        for body in bodies:
            response = httpx.post(f"{base}/2d-digital-human-videos", json=body, headers=headers, timeout=60)
            if response.status_code != 200:
                raise RuntimeError(f"the job was refused: {response.status_code} {response.text}")
            ids.append(response.json()["job_id"])
        deadline = time.monotonic() + 3600
        while time.monotonic() < deadline:
            states = self.sql("SELECT state, error_msg FROM jobs_videojob WHERE id = ANY(%s)", ids)
            if all(state in FINAL for state, _ in states):
                failed = [message for state, message in states if state != "SUCCEED"]
                if failed:
                    raise RuntimeError(f"a job did not succeed: {failed[0]}")
                break
            time.sleep(0.3)
        else:
            raise RuntimeError("jobs still running after an hour")
        video, wall = self.sql("SELECT SUM(duration), EXTRACT(EPOCH FROM MAX(end_time) - MIN(create_time)) "
                               "FROM jobs_videojob WHERE id = ANY(%s)", ids)[0]
        return float(video), float(wall)

    def sql(self, query: str, *params):
        with psycopg.connect(self.database_url) as conn:
            return conn.execute(query, params).fetchall()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", default="1,2", help="worker counts to measure, e.g. 1,2")
    parser.add_argument("--database-url", default=os.environ.get("SCALE_DATABASE_URL")
                        or "postgres://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default=os.environ.get("SCALE_REDIS_URL") or "redis://127.0.0.1:6379/0")
    parser.add_argument("--size", default="1920x1080",
                        help="video size of every scene, WIDTHxHEIGHT (a RESIZE size: 1280x720, 1920x1080, ...)")
    args = parser.parse_args()
    size = tuple(int(side) for side in args.size.split("x"))

    from composer.capacity import available_cpus

    cores = available_cpus()
    counts = [int(n) for n in args.workers.split(",")]
    rows = []
    cost = None
    with tempfile.TemporaryDirectory(prefix="scaleout-bench-") as tmp:
        deployment = Deployment(Path(tmp), args.database_url, args.redis_url, size)
        try:
            deployment.start_web()
            for count in counts:
                workers = deployment.start_workers(count)
                renders, encoders = deployment.shape
                # Priming: every render process loads its voice once before anything is timed.
                deployment.run_jobs([deployment.body(f"prime-{count}", count * renders * 2)])
                if cost is None:
                    groups = [process.pid for process in workers]
                    before = sum(group_cpu_seconds(pgid) for pgid in groups)
                    video, _ = deployment.run_jobs([deployment.body(f"alone-{count}", 1)])
                    cost = (sum(group_cpu_seconds(pgid) for pgid in groups) - before) / video
                for label, bodies in (("4-scene job", [deployment.body(f"four-{count}", 4)]),
                                      ("six 1-scene jobs", [deployment.body(f"six-{count}-{j}", 1) for j in range(6)])):
                    video, wall = deployment.run_jobs(bodies)
                    rows.append((count, renders, encoders, label, video, wall))
                    print(f"  {count} worker(s), {label}: {video:.1f} s of video in {wall:.1f} s", flush=True)
                deployment.stop(workers)
        finally:
            deployment.close()

    bound = cores / cost
    load = os.getloadavg()
    print(f"{size[0]}x{size[1]} H.264; CPU cost: {cost:.2f} CPU-seconds per video second (one one-scene job alone); "
          f"bound on {cores} cores: {bound:.2f} video seconds per second")
    print(f"{'workers':>7} {'renders x encoder threads':>26} {'work':<17} {'video s':>8} {'wall s':>7} "
          f"{'video s/s':>9} {'of bound':>8}")
    for count, renders, encoders, label, video, wall in rows:
        rate = video / wall
        print(f"{count:>7} {f'{renders} x {encoders} each':>26} {label:<17} {video:8.1f} {wall:7.1f} {rate:9.2f} "
              f"{rate / bound:8.0%}")
    print("target: within 90% of the bound")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
