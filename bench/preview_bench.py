"""First and warm thumbnail of every presenter right after a server start (prints figures; never a test).

Starts a server on a fresh data directory (the embedded default of `make run`: `manage.py runserver`, SQLite, the
worker inside the web process; `--server serve` runs the production server of `make serve` instead, one process
without Redis),
saves one script per built-in presenter (1920x1080, an image background and a title), waits until the server
answers and its background warm-up has logged that the rigs are decoded, then asks each script's scene thumbnail
(320 px, as the editor's scene strip) twice: the first request of that presenter in this process, and a warm one
at another moment of the scene (a new picture, not the preview cache). Target: the first under 300 ms.
With several server processes behind one port, each process warms its own rigs in the same way after its start.
`--no-warmup` starts the server with COMPOSER_WARMUP=0 for comparison (every first request decodes its rig).
Usage: .venv/bin/python bench/preview_bench.py [--server runserver|serve] [--no-warmup] [--width 320]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WARMED = re.compile(r"warm-up: (\d+) of (\d+) presenter rigs decoded in ([\d.]+) s")
TITLE = "TWVldCBDb21wb3Nlcg=="   # "Meet Composer"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def composition(model: str) -> dict:
    return {
        "model_asset_id": model, "voice_config": {"voice_asset_id": "voice-en-us-joe"},
        "video_config": {"codec": "H264", "bitrate": 4000, "width": 1920, "height": 1080},
        "shoot_scripts": [{"sequence_no": 0, "shoot_script": {
            "script_type": "TEXT", "text_config": {"text": "Hello, and welcome."},
            "background_config": [{"background_type": "IMAGE", "background_asset_id": "bg-studio-blue-landscape"}],
            "layer_config": [{"layer_type": "TEXT", "position": {"dx": 120, "dy": 140, "layer_index": 4},
                              "text_config": {"text_context": TITLE, "font_size": 72, "font_color": "#1D2B4F"}}],
        }}],
    }


class Server:
    def __init__(self, data: Path, kind: str, warmup: bool):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        self.env.update({"COMPOSER_DATA_DIR": str(data), "PYTHONUNBUFFERED": "1", "DEBUG": "0",
                         "COMPOSER_WARMUP": "1" if warmup else "0", "PYTHONPATH": str(ROOT)})
        self.log = data / "server.log"
        self.command = ([sys.executable, "manage.py", "runserver", "--noreload", "--nostatic", f"127.0.0.1:{self.port}"]
                        if kind == "runserver" else
                        [sys.executable, "-m", "composer.serve", "--host", "127.0.0.1", "--port", str(self.port)])

    def manage(self, *args: str) -> str:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def start(self) -> float:
        started = time.monotonic()
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=self.log.open("w"),
                                        stderr=subprocess.STDOUT, start_new_session=True)
        while time.monotonic() - started < 120:
            try:
                if httpx.get(f"{self.base}/login", timeout=2).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("the server did not start: " + self.log.read_text()[-2000:])

    def warmed(self, timeout: float) -> tuple[int, int, float] | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = WARMED.search(self.log.read_text())
            if found:
                return int(found[1]), int(found[2]), float(found[3])
            time.sleep(0.2)
        return None

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", choices=("runserver", "serve"), default="runserver")
    parser.add_argument("--no-warmup", action="store_true", help="COMPOSER_WARMUP=0, for comparison")
    parser.add_argument("--width", type=int, default=320)
    args = parser.parse_args()

    from composer.render.avatar import BUILTIN_RIGS

    with tempfile.TemporaryDirectory(prefix="preview-bench-") as tmp:
        server = Server(Path(tmp), args.server, not args.no_warmup)
        server.manage("migrate", "--noinput")
        server.manage("seed_demo")
        token = json.loads(server.manage("authtoken", "--username", "demo"))["token"]
        project = json.loads(server.manage("accesskey", "--username", "demo", "--project", "demo"))["project_id"]
        ready = server.start()
        try:
            with httpx.Client(base_url=f"{server.base}/v1/{project}", headers={"X-Auth-Token": token},
                              timeout=120) as client:
                scripts = {}
                for entry in BUILTIN_RIGS:
                    response = client.post("/digital-human-video-scripts",
                                           json={"script_name": entry["asset_id"], **composition(entry["asset_id"])})
                    response.raise_for_status()
                    scripts[entry["asset_id"]] = response.json()["script_id"]
                warm = None if args.no_warmup else server.warmed(timeout=300)

                def thumbnail(script_id: str, at: float) -> float:
                    started = time.perf_counter()
                    response = client.get(f"/digital-human-video-scripts/{script_id}/revisions/1/preview",
                                          params={"scene": 0, "time": at, "width": args.width})
                    response.raise_for_status()
                    return (time.perf_counter() - started) * 1000

                rows = [(model, thumbnail(script_id, 0.0), thumbnail(script_id, 1.0))
                        for model, script_id in scripts.items()]
        finally:
            server.stop()

    load = os.getloadavg()
    print(f"server: {' '.join(Path(part).name for part in server.command[:3])} ..., "
          f"ready in {ready:.1f} s; warm-up {'off' if args.no_warmup else 'on'}"
          + (f", {warm[0]} of {warm[1]} rigs decoded in {warm[2]:.1f} s" if warm else "")
          + f"; thumbnails {args.width} px wide")
    print(f"{'presenter':<16} {'first ms':>9} {'warm ms':>8}")
    for model, first, again in rows:
        print(f"{model:<16} {first:9.0f} {again:8.0f}")
    firsts = [first for _, first, _ in rows]
    print(f"first: median {statistics.median(firsts):.0f} ms, worst {max(firsts):.0f} ms (target under 300 ms); "
          f"warm: median {statistics.median(again for _, _, again in rows):.0f} ms")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    print("make serve's processes (COMPOSER_WEB_PROCESSES) each warm their own rigs after they start, in the same way")


if __name__ == "__main__":
    main()
