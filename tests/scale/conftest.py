"""Scale-out suite: daphne plus two `celery worker` processes on PostgreSQL and Redis.

Runs when SCALE_DATABASE_URL and SCALE_REDIS_URL are set (`make test` maps DATABASE_URL/REDIS_URL to them).
Each run uses a fresh PostgreSQL database and its own Celery queue, so it never touches other data.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get("SCALE_DATABASE_URL", "")
REDIS_URL = os.environ.get("SCALE_REDIS_URL", "")

pytestmark = pytest.mark.scale


def pytest_collection_modifyitems(config, items):
    if DATABASE_URL and REDIS_URL:
        return
    skip = pytest.mark.skip(reason="scale-out suite: set DATABASE_URL and REDIS_URL (PostgreSQL and Redis)")
    for item in items:
        if "tests/scale" in str(item.fspath):
            item.add_marker(skip)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database() -> str:
    import psycopg

    name = f"composer_scale_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(DATABASE_URL)
    return urlunsplit(parts._replace(path=f"/{name}")), name


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Cluster:
    """The processes of a scale-out deployment on this machine, and helpers to talk to them."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.database_url, self.database_name = fresh_database()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url, "REDIS_URL": REDIS_URL,
            "COMPOSER_QUEUE": f"composer-scale-{uuid.uuid4().hex[:8]}",
            "COMPOSER_DATA_DIR": str(tmp), "MEDIA_ROOT": str(tmp / "media"),
            "COMPOSER_HEARTBEAT_SECONDS": "1", "COMPOSER_STALE_AFTER_SECONDS": "6",
            "COMPOSER_EMBEDDED_WORKER": "0", "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("SCALE_DATABASE_URL", None)
        self.env.pop("SCALE_REDIS_URL", None)
        self.processes: dict[str, subprocess.Popen] = {}

    def manage(self, *args: str) -> str:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def spawn(self, name: str, *command: str, log_name: str | None = None) -> subprocess.Popen:
        log = open(self.tmp / f"{log_name or name}.log", "w")
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes[name] = process
        return process

    def start(self) -> None:
        self.manage("migrate", "--noinput")
        self.manage("seed_demo")
        credentials = json.loads(self.manage("accesskey", "--username", "demo", "--project", "demo"))
        self.project_id = credentials["project_id"]
        self.token = json.loads(self.manage("authtoken", "--username", "demo"))["token"]
        self.spawn("web", str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(self.port), "composer.asgi:application")
        for name in ("worker1", "worker2"):
            self.start_worker(name)
        self.wait_for_web()

    def start_worker(self, name: str, *, timeout: float = 60) -> None:
        """A `celery worker` process (one render thread), returned once it logged that it is ready."""
        log_name = f"{name}-{len(self.processes)}"
        self.spawn(name, str(BIN / "celery"), "-A", "composer.celery", "worker", "-P", "threads", "-c", "1",
                   "-n", f"{log_name}@%h", "-l", "info", "-Q", self.env["COMPOSER_QUEUE"], log_name=log_name)
        deadline = time.monotonic() + timeout
        while "ready." not in (self.tmp / f"{log_name}.log").read_text():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start: " + (self.tmp / f"{log_name}.log").read_text()[-2000:])
            time.sleep(0.3)

    def wait_for_web(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/login", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError("daphne did not start: " + (self.tmp / "web.log").read_text()[-2000:])

    def api(self, method: str, path: str, **kwargs) -> httpx.Response:
        return httpx.request(method, f"{self.base}/v1/{self.project_id}{path}",
                             headers={"X-Auth-Token": self.token}, timeout=30, **kwargs)

    def sql(self, query: str, *params):
        import psycopg

        with psycopg.connect(self.database_url) as conn:
            return conn.execute(query, params).fetchall()

    def worker_pid(self, name: str) -> int:
        return self.processes[name].pid

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        drop_database(self.database_name)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("scale"))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
