"""Starting servers for the tests: a free port, and waiting until a server answers."""
from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx


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
