"""A scale-out deployment on this machine: the production web command plus `celery worker` processes on a fresh
PostgreSQL database and Redis. The scale-out suite, tests/api/test_unavailable.py and bench/api_bench.py start it.

Each stack uses its own database (dropped on stop), its own Celery queue and its own data folder, so it never
touches other data on the same servers.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from tests.support.servers import free_port, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def fresh_database(server_url: str) -> tuple[str, str]:
    """A new, empty database on the server of `server_url`: (its URL, its name)."""
    import psycopg

    name = f"composer_scale_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}")), name


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Runs management commands in one process (one Django start-up instead of one each); prints their outputs as JSON.
_MANAGE_MANY = """
import io, json, sys
import django
django.setup()
from django.core.management import call_command
outputs = []
for args in json.loads(sys.argv[1]):
    out = io.StringIO()
    call_command(*args, stdout=out)
    outputs.append(out.getvalue())
sys.stdout.write("\\n" + json.dumps(outputs))
"""


def manage_many(env: dict[str, str], *commands: list[str]) -> list[str]:
    """The output of each management command, run one after the other in a single process."""
    done = subprocess.run([sys.executable, "-c", _MANAGE_MANY, json.dumps(commands)], cwd=ROOT,
                          env={**env, "DJANGO_SETTINGS_MODULE": "composer.settings"}, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.rsplit("\n", 1)[-1])


def demo_credentials(env: dict[str, str]) -> dict[str, str]:
    """Migrate, seed the demo project, and issue demo's AK/SK and X-Auth-Token: {project_id, ak, sk, token}."""
    *_, key, token = manage_many(env, ["migrate", "--noinput"], ["seed_demo"],
                                 ["accesskey", "--username", "demo", "--project", "demo"],
                                 ["authtoken", "--username", "demo"])
    return {**json.loads(key), **json.loads(token)}


def serve_command(port: int) -> list[str]:
    """The production web command (what `make serve` runs), on this interpreter."""
    return [sys.executable, "-m", "composer.serve", "--host", "127.0.0.1", "--port", str(port)]


class Stack:
    """The processes of a scale-out deployment on this machine, and helpers to talk to them."""

    def __init__(self, tmp: Path, *, database_url: str, redis_url: str, env: dict[str, str] | None = None):
        self.tmp = tmp
        self.server_url = database_url
        self.database_url, self.database_name = fresh_database(database_url)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url, "REDIS_URL": redis_url,
            "COMPOSER_QUEUE": f"composer-scale-{uuid.uuid4().hex[:8]}",
            "COMPOSER_DATA_DIR": str(tmp), "MEDIA_ROOT": str(tmp / "media"),
            "COMPOSER_HEARTBEAT_SECONDS": "1", "COMPOSER_STALE_AFTER_SECONDS": "6",
            "COMPOSER_EMBEDDED_WORKER": "0", "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1", **(env or {}),
        }
        self.env.pop("SCALE_DATABASE_URL", None)
        self.env.pop("SCALE_REDIS_URL", None)
        self.processes: dict[str, subprocess.Popen] = {}
        self.worker_starts = 0

    def manage(self, *args: str) -> str:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def spawn(self, name: str, *command: str, log_name: str | None = None) -> subprocess.Popen:
        log = open(self.tmp / f"{log_name or name}.log", "w")
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes[name] = process
        return process

    def start(self, *, workers: int = 2) -> None:
        credentials = demo_credentials(self.env)
        self.project_id, self.token = credentials["project_id"], credentials["token"]
        self.ak, self.sk = credentials["ak"], credentials["sk"]
        self.spawn("web", *serve_command(self.port))
        for index in range(workers):
            self.start_worker(f"worker{index + 1}")
        self.wait_for_web()

    def start_worker(self, name: str, *, timeout: float = 60, wait: bool = True) -> None:
        """A `celery worker` process (one render thread), returned once it logged that it is ready (`wait`)."""
        self.worker_starts += 1
        log_name = f"{name}-{self.worker_starts}"
        self.spawn(name, str(BIN / "celery"), "-A", "composer.celery", "worker", "-P", "threads", "-c", "1",
                   "-n", f"{log_name}@%h", "-l", "info", "-Q", self.env["COMPOSER_QUEUE"], log_name=log_name)
        if not wait:
            return
        deadline = time.monotonic() + timeout
        while "ready." not in (self.tmp / f"{log_name}.log").read_text():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start: " + (self.tmp / f"{log_name}.log").read_text()[-2000:])
            time.sleep(0.3)

    def wait_for_web(self, timeout: float = 60) -> None:
        wait_until_serving(self.base, self.tmp / "web.log", timeout)

    def api(self, method: str, path: str, **kwargs) -> httpx.Response:
        return httpx.request(method, f"{self.base}/v1/{self.project_id}{path}",
                             headers={"X-Auth-Token": self.token}, timeout=30, **kwargs)

    def sql(self, query: str, *params):
        import psycopg

        with psycopg.connect(self.database_url) as conn:
            return conn.execute(query, params).fetchall()

    def worker_pid(self, name: str) -> int:
        return self.processes[name].pid

    def stop_process(self, name: str) -> None:
        process = self.processes[name]
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for name in list(self.processes):
            self.stop_process(name)
        drop_database(self.server_url, self.database_name)
