"""The scale-out deployment the benches start on this machine: PostgreSQL (a fresh database), Redis (a queue of its
own), the production web server (`make serve`) and `celery worker` processes as `make worker` starts them.

Built on the tests' scale-out stack (tests/support/stack.py: the fresh database, the demo credentials, the web
command). Used by scaleout_bench.py and batch_bench.py: starting and stopping it, submitting jobs through the API,
waiting for them, and the CPU cost of a video second (the worker processes' CPU time while one one-scene job
renders alone, over its video length), from which both derive the machine's CPU bound (cores / that cost).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.servers import free_port, wait_until_serving  # noqa: E402
from tests.support.stack import demo_credentials, drop_database, fresh_database, serve_command  # noqa: E402

BIN = Path(sys.executable).parent
TEXT = ("Scene {scene} of job {job}. Composer renders presenter videos on your own machine, scene by scene, with "
        "natural speech, a lip-synced avatar and subtitles, and then joins them into one video.")
FINAL = ("SUCCEED", "FAILED", "CANCELED")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def add_service_arguments(parser) -> None:
    """--database-url, --redis-url and --size, as every bench of the deployment takes them."""
    parser.add_argument("--database-url", default=os.environ.get("SCALE_DATABASE_URL") or DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=os.environ.get("SCALE_REDIS_URL") or DEFAULT_REDIS_URL)
    parser.add_argument("--size", default="1920x1080",
                        help="video size of every scene, WIDTHxHEIGHT (a RESIZE size: 1280x720, 1920x1080, ...)")


def parse_size(text: str) -> tuple[int, int]:
    width, height = (int(side) for side in text.split("x"))
    return width, height


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


def load_line() -> str:
    load = os.getloadavg()
    return f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores"


class Deployment:
    def __init__(self, tmp: Path, database_url: str, redis_url: str, size: tuple[int, int]):
        self.tmp = tmp
        self.size = size
        self.admin_url = database_url
        self.database_url, self.database = fresh_database(database_url)
        self.env = {**os.environ, "DATABASE_URL": self.database_url, "REDIS_URL": redis_url,
                    "COMPOSER_QUEUE": f"composer-bench-{uuid.uuid4().hex[:8]}", "COMPOSER_DATA_DIR": str(tmp),
                    "MEDIA_ROOT": str(tmp / "media"), "COMPOSER_EMBEDDED_WORKER": "0", "DEBUG": "0",
                    "ALLOWED_HOSTS": "127.0.0.1,localhost", "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
        self.processes: list[subprocess.Popen] = []
        self.port = free_port()
        self.starts = 0

    def manage(self, *args: str) -> str:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def spawn(self, command: list[str], log: Path, **env: str) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=ROOT, env={**self.env, **env}, stdout=log.open("w"),
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(process)
        return process

    def start_web(self) -> None:
        """The demo project (seed_demo) and the production web server; self.token is the owner demo's."""
        credentials = demo_credentials(self.env)
        self.project, self.token = credentials["project_id"], credentials["token"]
        # The production web server (make serve), one process: it only takes the submissions here, and renders
        # nothing, so no warm-up of its own takes CPU from the workers.
        self.spawn(serve_command(self.port), self.tmp / "web.log", COMPOSER_WARMUP="0", COMPOSER_WEB_PROCESSES="1")
        wait_until_serving(f"http://127.0.0.1:{self.port}", self.tmp / "web.log", timeout=120)

    def token_of(self, username: str) -> str:
        return json.loads(self.manage("authtoken", "--username", username))["token"]

    def api(self, path: str, body: dict, token: str | None = None) -> dict:
        """POST `body` to /v1/{project}/`path` as the owner (or the holder of `token`); the answer, or an error."""
        response = httpx.post(f"http://127.0.0.1:{self.port}/v1/{self.project}/{path}", json=body,
                              headers={"X-Auth-Token": token or self.token}, timeout=60)
        if response.status_code != 200:
            raise RuntimeError(f"POST {path} was refused: {response.status_code} {response.text}")
        return response.json()

    def start_workers(self, count: int, **env: str) -> list[subprocess.Popen]:
        """`count` worker processes as `make worker` starts them, each told how many share the machine (and given
        `env`); returned once every one has logged that it is ready and each of its render processes has warmed up."""
        self.starts += 1
        self.workers = count
        workers = []
        for index in range(count):
            log = self.tmp / f"worker-{self.starts}-{index}.log"
            workers.append((self.spawn([str(BIN / "celery"), "-A", "composer.celery", "worker", "-l", "info",
                                        "-Q", self.env["COMPOSER_QUEUE"], "-n", f"bench{self.starts}-{index}@%h"],
                                       log, COMPOSER_WORKERS_PER_HOST=str(count), **env), log))
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
        drop_database(self.admin_url, self.database)

    def clear_scene_cache(self) -> None:
        """Forget every rendered scene (only while no worker runs)."""
        shutil.rmtree(self.tmp / "media" / "scene-cache", ignore_errors=True)

    def body(self, job: str, scenes: int) -> dict:
        """A job of `scenes` scenes, about eight seconds of speech each, every scene's text its own (no cache hit)."""
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

    def prime(self, label: str) -> None:
        """Every render process of the workers just started loads its voice once, before anything is timed."""
        self.run_jobs([self.body(f"prime-{label}", self.workers * self.shape[0] * 2)])

    def cpu_cost(self, workers: list[subprocess.Popen], label: str) -> float:
        """CPU-seconds per video second: the workers' CPU time while one one-scene job renders alone."""
        groups = [process.pid for process in workers]
        before = sum(group_cpu_seconds(pgid) for pgid in groups)
        video, _ = self.run_jobs([self.body(f"alone-{label}", 1)])
        return (sum(group_cpu_seconds(pgid) for pgid in groups) - before) / video

    def run_jobs(self, bodies: list[dict]) -> tuple[float, float]:
        """Submit every body at once and wait for all; (video seconds, wall seconds first submission -> last end)."""
        return self.wait([self.api("2d-digital-human-videos", body)["job_id"] for body in bodies])

    def wait(self, ids: list[str]) -> tuple[float, float]:
        """Wait until every job succeeded (an error if one did not); (their video seconds, wall seconds from the
        first one's creation to the last one's end, database timestamps)."""
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
        import psycopg

        with psycopg.connect(self.database_url) as conn:
            return conn.execute(query, params).fetchall()
