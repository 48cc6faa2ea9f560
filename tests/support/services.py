"""Restarting this machine's PostgreSQL and Redis under a running scale-out stack, always bringing them back.

Other tests (and CI) use the same servers, so every restart waits until the service answers again, and a failed
restart starts the service before the error goes on. Redis runs without persistence (`--save ""`, no AOF): a
restart loses every queued message, the case the workers must recover from (composer.jobs.reaper)."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

REDIS_START = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
               "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log"]


def _wait(check, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer within {timeout} s")


def redis_answers() -> bool:
    done = subprocess.run(["redis-cli", "ping"], capture_output=True, text=True)
    return done.stdout.strip() == "PONG"


def postgres_answers(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            conn.execute("select 1")
        return True
    except psycopg.Error:
        return False


def can_restart() -> bool:
    """Whether this machine's services can be restarted from here (root, their commands, a local cluster)."""
    return os.geteuid() == 0 and all(shutil.which(c) for c in ("redis-cli", "redis-server", "pg_ctlcluster")) \
        and Path("/etc/postgresql").is_dir()


def restart_redis() -> None:
    try:
        subprocess.run(["redis-cli", "shutdown", "nosave"], capture_output=True, timeout=30)
        _wait(lambda: not redis_answers(), "Redis shutting down", 30)
    finally:
        if not redis_answers():
            subprocess.run(REDIS_START, check=True, capture_output=True, timeout=30)
        _wait(redis_answers, "Redis")


def restart_postgres(url: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]
    try:
        subprocess.run([*command, "restart"], check=True, capture_output=True, timeout=120)
    finally:
        if not postgres_answers(url):
            subprocess.run([*command, "start"], capture_output=True, timeout=120)
        _wait(lambda: postgres_answers(url), "PostgreSQL", 120)
