"""A second Composer server standing in for MetaStudio: its own data folder and SQLite database, the demo
project seeded, an AK/SK issued, serving on a free port of 127.0.0.1 (our API is wire-compatible with MetaStudio's,
so a MetaStudio client cannot tell them apart)."""
from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import httpx

from tests.support.servers import free_port, wait_until_serving
from tests.support.stack import ROOT, demo_credentials, serve_command


class StandIn:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {key: value for key, value in os.environ.items()
                    if key not in ("DATABASE_URL", "REDIS_URL", "SCALE_DATABASE_URL", "SCALE_REDIS_URL")}
        self.env.update({"COMPOSER_DATA_DIR": str(tmp), "MEDIA_ROOT": str(tmp / "media"),
                         "COMPOSER_EMBEDDED_WORKER": "0", "COMPOSER_WARMUP": "0", "DEBUG": "0",
                         "ALLOWED_HOSTS": "127.0.0.1,localhost", "PYTHONUNBUFFERED": "1"})
        self.process: subprocess.Popen | None = None

    def start(self) -> StandIn:
        credentials = demo_credentials(self.env)
        self.project_id, self.ak, self.sk = credentials["project_id"], credentials["ak"], credentials["sk"]
        self.token = credentials["token"]
        log = open(self.tmp / "standin.log", "w")
        self.process = subprocess.Popen(serve_command(self.port), cwd=ROOT, env=self.env, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        wait_until_serving(self.base, self.tmp / "standin.log")
        return self

    def api(self, method: str, path: str, **kwargs) -> httpx.Response:
        """Ask the stand-in directly, with its demo user's token."""
        return httpx.request(method, f"{self.base}/v1/{self.project_id}{path}",
                             headers={"X-Auth-Token": self.token}, timeout=30, **kwargs)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
