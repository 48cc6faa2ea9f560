"""For the browser tests: a real daphne server (embedded worker, in-memory channels), Debian's Chromium, signing in."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from tests.support.servers import free_port, wait_until_serving
from tests.support.stack import demo_credentials

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


class Server:
    def __init__(self, data_dir: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        # Callbacks may reach this machine: the journey test listens for one on localhost.
        # The editor page hands its state to the tests as window.composerEditor (COMPOSER_TEST_HOOKS).
        # No warm-up (composer/jobs/warmup.py, tested in tests/jobs/test_warmup.py): it would decode every built-in
        # presenter, some seconds of CPU per server, while these tests need a few rigs that their pages decode.
        self.env.update({"COMPOSER_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", "DEBUG": "1",
                         "COMPOSER_FETCH_ALLOW_PRIVATE": "1", "COMPOSER_TEST_HOOKS": "1", "COMPOSER_WARMUP": "0"})
        self.log = data_dir / "daphne.log"

    def manage(self, *args: str) -> str:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def start(self) -> None:
        self.launch()
        self.wait()

    def launch(self) -> None:
        """Its data and its process, without waiting for it to answer (wait() does)."""
        self.token, self.project_id = seeded_copy(self)
        self.process = subprocess.Popen([str(Path(sys.executable).parent / "daphne"), "-b", "127.0.0.1", "-p",
                                         str(self.port), "composer.asgi:application"], cwd=ROOT, env=self.env,
                                        stdout=self.log.open("w"), stderr=subprocess.STDOUT)

    def wait(self) -> None:
        wait_until_serving(self.base, self.log)

    def api(self, method: str, path: str, **kwargs) -> httpx.Response:
        return httpx.request(method, f"{self.base}/v1/{self.project_id}{path}",
                             headers={"X-Auth-Token": self.token}, timeout=30, **kwargs)

    def upload(self, name: str, asset_type: str, filename: str, content: bytes, mime: str) -> str:
        """A new asset from a file, through the API; its asset_id."""
        response = self.api("POST", "/digital-assets/upload", data={"asset_name": name, "asset_type": asset_type},
                            files={"file": (filename, content, mime)})
        assert response.status_code == 200, response.text
        return response.json()["asset_id"]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


# One migrated, seeded data folder per test process and settings, copied for each server: every module still gets
# a database of its own, without paying for four management commands (migrate, seed_demo, a token, a key) each.
_seeded: dict[tuple, tuple[Path, str, str]] = {}


def seeded_copy(server: Server) -> tuple[str, str]:
    """Fill `server`'s data folder with the demo data (a copy of this process's seeded folder for its settings);
    the demo owner's token and the demo project's id."""
    data_dir = Path(server.env["COMPOSER_DATA_DIR"])
    settings_key = tuple(sorted((k, v) for k, v in server.env.items() if k != "COMPOSER_DATA_DIR"))
    if settings_key not in _seeded:
        template = Path(tempfile.mkdtemp(prefix="composer-seeded-"))
        credentials = demo_credentials({**server.env, "COMPOSER_DATA_DIR": str(template)})
        token, project_id = credentials["token"], credentials["project_id"]
        _seeded[settings_key] = (template, token, project_id)
    template, token, project_id = _seeded[settings_key]
    shutil.copytree(template, data_dir, dirs_exist_ok=True)
    return token, project_id


def sign_in(server: Server, page, username: str = "demo", password: str | None = None) -> None:
    """Sign in through the login form (seed_demo's users: demo owner, alice editor, bob approver)."""
    page.goto(f"{server.base}/login")
    page.fill("#id_username", username)
    page.fill("#id_password", password or username)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.base}/")


def wait_live(page, timeout: float = 10000) -> None:
    """Until every websocket the page opened is connected (static/composer/live.js marks <html data-live="open">):
    from then on the page hears every change."""
    page.wait_for_selector("html[data-live=open]", state="attached", timeout=timeout)


def avatar_figure_box(rig: dict, layout: tuple[int, int]) -> tuple[float, float, float, float]:
    """The implicit avatar's figure box (what the editor selects) from a rig's page data, by the spec's rule."""
    from composer.spec.framing import FigureMetrics, frame_figure, human_box

    metrics = rig["figure"]
    figure = FigureMetrics(**{key: tuple(value) if isinstance(value, list) else value
                              for key, value in metrics.items()})
    return frame_figure(human_box(None, figure, layout), figure).figure
