"""SIGTERM to a web process with the embedded worker, mid-render: it exits within seconds, hands the scene back
(WAITING, its attempt given back, nothing published), and the next start of the server finishes the job once.

Both ways of serving are checked: `make run`'s `manage.py runserver --noreload` (Daphne, which ends the process
normally) and `make serve`'s `python -m composer.serve` (uvicorn, which re-raises the signal)."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.jobs import small_body
from tests.support.servers import free_port, wait_until_serving
from tests.support.stack import ROOT, demo_credentials, serve_command
from tests.support.waiting import wait_for

pytestmark = pytest.mark.render

EXIT_SECONDS = 15     # the render under way would take far longer than this to finish on its own
TEXT = " ".join(["A server that is asked to stop hands this scene back to the queue and exits."] * 3)


def server_command(kind: str, port: int) -> list[str]:
    if kind == "runserver":
        return [sys.executable, "manage.py", "runserver", "--noreload", "--nostatic", f"127.0.0.1:{port}"]
    return serve_command(port)


class EmbeddedServer:
    def __init__(self, tmp: Path, kind: str):
        self.tmp, self.kind = tmp, kind
        self.env = {**os.environ, "COMPOSER_DATA_DIR": str(tmp), "MEDIA_ROOT": str(tmp / "media"),
                    "DATABASE_URL": "", "REDIS_URL": "", "COMPOSER_EMBEDDED_WORKER": "1", "COMPOSER_WARMUP": "0",
                    "COMPOSER_HEARTBEAT_SECONDS": "1", "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost",
                    "PYTHONUNBUFFERED": "1"}
        self.credentials = demo_credentials(self.env)
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.starts += 1
        self.log = self.tmp / f"server-{self.starts}.log"
        self.process = subprocess.Popen(server_command(self.kind, self.port), cwd=ROOT, env=self.env,
                                        stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        wait_until_serving(self.base, self.log)

    def api(self, method: str, path: str, **kwargs) -> httpx.Response:
        return httpx.request(method, f"{self.base}/v1/{self.credentials['project_id']}{path}",
                             headers={"X-Auth-Token": self.credentials["token"]}, timeout=30, **kwargs)

    def sql(self, query: str, *params) -> list:
        with sqlite3.connect(self.tmp / "composer.sqlite3", timeout=30) as conn:
            return conn.execute(query, params).fetchall()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture(params=["runserver", "serve"])
def server(request, tmp_path):
    server = EmbeddedServer(tmp_path, request.param)
    try:
        yield server
    finally:
        server.kill()


def test_sigterm_mid_render_hands_the_scene_back_and_a_restart_finishes_it(server):
    server.start()
    created = server.api("POST", "/2d-digital-human-videos", json=small_body(TEXT))
    assert created.status_code == 200, created.text
    api_id = created.json()["job_id"]
    job_id = api_id.replace("-", "")      # SQLite keeps UUIDs as 32 hex digits
    wait_for(lambda: server.sql("select 1 from jobs_scenerender where job_id = ? and state = 'PROCESSING' "
                                  "and frames_done > 0", job_id))

    # Stopped as a terminal or a service manager stops it: the signal goes to the whole process group.
    os.killpg(server.process.pid, signal.SIGTERM)
    assert server.process.wait(timeout=EXIT_SECONDS) is not None
    log = server.log.read_text()
    assert "cannot schedule new futures" not in log, log[-3000:]
    assert server.sql("select state from jobs_videojob where id = ?", job_id) == [("PROCESSING",)]
    # Handed back, not lost and not half-done: waiting again, the attempt given back, no output published.
    assert server.sql("select state, attempts, frames_done from jobs_scenerender where job_id = ?",
                      job_id) == [("WAITING", 0, 0)]
    assert server.sql("select count(*) from assets_asset where meta like ?", f"%{api_id}%") == [(0,)]
    if server.kind == "serve":
        return      # what a restart does with the scene is the same for both servers: checked once, below

    server.start()
    state = wait_for(lambda: next((row for row in server.sql(
        "select state, error_msg from jobs_videojob where id = ?", job_id) if row[0] in ("SUCCEED", "FAILED")),
        None))
    assert state[0] == "SUCCEED", state
    assert server.sql("select state, attempts from jobs_scenerender where job_id = ?", job_id) == [("DONE", 1)]
    shown = server.api("GET", f"/2d-digital-human-videos/{api_id}").json()
    asset_id = shown["output_asset_config"]["asset_id"]
    assert len(list((server.tmp / "media" / "assets").rglob(f"{asset_id}/*.mp4"))) == 1
