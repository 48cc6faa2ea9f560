"""When PostgreSQL or Redis refuses, the production server answers 503 with Retry-After (the API in its error
body, the pages with a plain page), never 500. Real server processes pointed at closed ports."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import time

import httpx
import pytest

from tests.support.factories import create_body
from tests.support.stack import ROOT, demo_credentials, free_port, serve_command

pytestmark = pytest.mark.django_db(databases=[])

PROJECT = "0" * 32


class Server:
    def __init__(self, tmp_path, **env: str):
        self.env = {**os.environ, "COMPOSER_DATA_DIR": str(tmp_path), "MEDIA_ROOT": str(tmp_path / "media"),
                    "COMPOSER_EMBEDDED_WORKER": "0", "DEBUG": "0", "COMPOSER_WEB_PROCESSES": "1",
                    "ALLOWED_HOSTS": "127.0.0.1", "PYTHONUNBUFFERED": "1", **env}
        for name in ("DATABASE_URL", "REDIS_URL"):
            if not self.env.get(name):
                self.env.pop(name, None)
        self.log = tmp_path / "web.log"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(serve_command(self.port), cwd=ROOT, env=self.env, stdout=self.log.open("w"),
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.base}/login", timeout=2)
                return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("the server did not start: " + self.log.read_text()[-2000:])

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def closed_port() -> int:
    return free_port()  # nothing listens on a port just released


def assert_unavailable_body(response: httpx.Response, service: str) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "5"
    body = response.json()
    assert body["error_code"] == "MSS.00000009"
    assert service in body["error_msg"] and "retry in 5 s" in body["error_msg"]


def test_without_its_database_the_api_and_the_pages_answer_503(tmp_path):
    database = f"postgres://postgres@127.0.0.1:{closed_port()}/composer"
    with Server(tmp_path, DATABASE_URL=database, COMPOSER_DB_POOL_TIMEOUT_SECONDS="1") as server:
        headers = {"X-Auth-Token": "cmp_some-token"}
        listed = httpx.get(f"{server.base}/v1/{PROJECT}/digital-human-videos", headers=headers, timeout=30)
        assert_unavailable_body(listed, "the database")
        created = httpx.post(f"{server.base}/v1/{PROJECT}/2d-digital-human-videos", headers=headers,
                             json=create_body(), timeout=30)
        assert_unavailable_body(created, "the database")
        # A signed-in page reads its session from the database.
        page = httpx.get(f"{server.base}/", cookies={"sessionid": "x" * 32}, timeout=30)
        assert page.status_code == 503
        assert page.headers["Retry-After"] == "5"
        assert page.headers["Content-Type"].startswith("text/html")
        assert "is not answering" in page.text and "Try again" in page.text
    # No request ended in an unhandled error (start-up work may log its own failure to reach the database).
    log = server.log.read_text()
    assert "Internal Server Error" not in log and "Unhandled" not in log and "Exception in ASGI" not in log


def test_without_redis_create_and_revoke_answer_503_and_change_nothing_while_reads_still_work(tmp_path):
    with Server(tmp_path, REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0") as server:
        # Set up while Redis is still of no concern (the web process has started with it unreachable).
        credentials = demo_credentials({k: v for k, v in server.env.items() if k != "REDIS_URL"})
        headers = {"X-Auth-Token": credentials["token"]}
        api = f"{server.base}/v1/{credentials['project_id']}"
        assert httpx.get(f"{api}/digital-human-videos", headers=headers, timeout=30).status_code == 200
        created = httpx.post(f"{api}/2d-digital-human-videos", headers=headers, json=create_body(), timeout=30)
        assert_unavailable_body(created, "Redis")
        listed = httpx.get(f"{api}/digital-human-videos", headers=headers, timeout=30)
        assert listed.status_code == 200 and listed.json()["count"] == 0
        # A revocation that could not reach the other processes' caches is refused, not half done.
        issued = httpx.post(f"{api}/auth-tokens", headers=headers, json={}, timeout=30).json()
        revoked = httpx.delete(f"{api}/auth-tokens/{issued['id']}", headers=headers, timeout=30)
        assert_unavailable_body(revoked, "Redis")
        still = httpx.get(f"{api}/digital-human-videos", headers={"X-Auth-Token": issued["token"]}, timeout=30)
        assert still.status_code == 200
    with sqlite3.connect(tmp_path / "composer.sqlite3") as db:
        assert db.execute("select count(*) from jobs_videojob").fetchone()[0] == 0
        assert db.execute("select count(*) from teams_auditentry where action = 'job.create'").fetchone()[0] == 0
