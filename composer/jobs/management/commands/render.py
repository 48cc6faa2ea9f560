"""Render a create-request body to a file, with a progress bar on stderr and one JSON line at the end."""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from composer.assets.resolver import ProjectAssetResolver
from composer.assets.services import spec_asset_checker
from composer.render import render
from composer.spec import SpecError, validate_create_body


class ProgressBar:
    def __init__(self, stream):
        self.stream = stream
        self.last = 0.0

    def __call__(self, progress) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and progress.percent < 100:
            return
        self.last = now
        filled = int(progress.percent / 100 * 30)
        eta = f"ETA {progress.eta_seconds:5.1f}s" if progress.eta_seconds is not None else ""
        self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {progress.percent:5.1f}% "
                          f"{progress.stage:<8} {progress.frames_done}/{progress.frames_total} frames {eta}   ")
        self.stream.flush()


class Command(BaseCommand):
    help = "Render a create-request body (built-in asset ids) to a video file."

    def add_arguments(self, parser):
        parser.add_argument("body", help="path to a JSON create body")
        parser.add_argument("-o", "--output", required=True, help="output file (.mp4, .webm or .mov)")

    def handle(self, *args, body, output, **options):
        try:
            raw = json.loads(Path(body).read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"{body}: {exc}") from exc
        try:
            spec = validate_create_body(raw, asset_checker=spec_asset_checker(None))
        except SpecError as exc:
            raise CommandError(exc.error_msg) from exc
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="composer-render-") as tmp:
            result = render(spec, ProjectAssetResolver(None, Path(tmp)), Path(output), ProgressBar(sys.stderr))
        sys.stderr.write("\n")
        self.stdout.write(json.dumps({
            "output": str(result.output), "duration": round(result.duration, 3), "width": result.width,
            "height": result.height, "codec": result.codec, "frames": result.frames,
            "seconds": round(time.monotonic() - started, 2)}))
