"""Starting servers for the tests: a free port, and waiting until a server answers."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(base: str, log: Path, timeout: float = 60) -> None:
    """Until the server at `base` answers its sign-in page; the tail of its log says why when it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError("the web server did not start: " + log.read_text()[-2000:])


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
