"""Every response of the web server says how long its process spent on it (Server-Timing), so a client can tell the
server's time from the time its request took to get there and back (bench/api_bench.py reports both)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ASK = """
import asyncio, json
from composer.asgi import application

async def main():
    sent, asked = [], []
    async def receive():
        if asked:                  # after the body, the client waits (Django listens for a disconnect)
            await asyncio.sleep(3600)
        asked.append(1)
        return {"type": "http.request", "body": b"", "more_body": False}
    async def send(message):
        sent.append(message)
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": "/no-such-page", "raw_path": b"/no-such-page", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"localhost")], "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000)}
    await application(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    print(json.dumps({"status": start["status"],
                      "timing": [v.decode() for k, v in start["headers"] if k.lower() == b"server-timing"]}))

asyncio.run(main())
"""


def test_a_response_says_the_time_its_process_spent_on_it(tmp_path):
    import json

    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="composer.settings", COMPOSER_DATA_DIR=str(tmp_path),
               COMPOSER_EMBEDDED_WORKER="0", COMPOSER_WARMUP="0")
    result = subprocess.run([sys.executable, "-c", ASK], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 404
    [timing] = answer["timing"]
    name, _, duration = timing.partition(";dur=")
    assert name == "app" and 0 < float(duration) < 60_000
