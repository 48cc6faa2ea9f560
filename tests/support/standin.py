"""A second Composer server standing in for MetaStudio: its own data folder and SQLite database, the demo
project seeded, an AK/SK issued, serving on a free port of 127.0.0.1 (our API is wire-compatible with MetaStudio's,
so a MetaStudio client cannot tell them apart)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.support.servers import free_port, wait_until_serving
from tests.support.stack import ROOT, demo_credentials, serve_command

# Ends a job of the stand-in as its render would: SUCCEED with a tiny real MP4 and a cover, or FAILED.
_SETTLE = """
import sys
import django
django.setup()
from django.core.files.base import ContentFile
from django.utils import timezone
from composer.assets.models import Asset, AssetState, AssetType
from composer.jobs.models import VideoJob
from tests.support.finished import cover_jpg, tiny_mp4
job = VideoJob.objects.get(pk=sys.argv[1])
if sys.argv[2] == "SUCCEED":
    asset = Asset.objects.create(project=job.project, name=job.asset_name or "out", asset_type=AssetType.VIDEO,
                                 state=AssetState.ACTIVED, width=64, height=36, duration=2.0)
    asset.file.save("out.mp4", ContentFile(tiny_mp4()), save=False)
    asset.cover.save("cover.jpg", ContentFile(cover_jpg()), save=False)
    asset.save()
    VideoJob.objects.filter(pk=job.pk).update(state="SUCCEED", stage="done", percent=100, output_asset_id=asset.id,
                                              duration=2.0, end_time=timezone.now())
else:
    VideoJob.objects.filter(pk=job.pk).update(state="FAILED", error_code=sys.argv[3], error_msg=sys.argv[4],
                                              end_time=timezone.now())
"""


class StandIn:
    """`renders=True`: its own embedded worker renders the jobs it is sent, as MetaStudio would; otherwise they wait
    until the test settles them."""

    def __init__(self, tmp: Path, *, renders: bool = False):
        self.tmp = tmp
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {key: value for key, value in os.environ.items()
                    if key not in ("DATABASE_URL", "REDIS_URL", "SCALE_DATABASE_URL", "SCALE_REDIS_URL")}
        self.env.update({"COMPOSER_DATA_DIR": str(tmp), "MEDIA_ROOT": str(tmp / "media"),
                         "COMPOSER_EMBEDDED_WORKER": "1" if renders else "0", "COMPOSER_WARMUP": "0", "DEBUG": "0",
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

    def settle(self, job_id: str, state: str, error_code: str = "", error_msg: str = "") -> None:
        """End the stand-in's job `job_id` as SUCCEED (a tiny video and a cover) or FAILED (with this error)."""
        subprocess.run([sys.executable, "-c", _SETTLE, job_id, state, error_code, error_msg], cwd=ROOT, check=True,
                       env={**self.env, "DJANGO_SETTINGS_MODULE": "composer.settings"}, capture_output=True)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
