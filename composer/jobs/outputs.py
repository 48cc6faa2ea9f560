"""A finished render becomes a VIDEO asset of the job's project: video, cover, subtitles, duration."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files import File

from composer.assets.models import Asset, AssetState, AssetType
from composer.jobs.models import VideoJob
from composer.teams.services import record_audit

CONTENT_TYPES = {"mp4": "video/mp4", "webm": "video/webm", "mov": "video/quicktime"}
MAX_FILE_NAME = 240


def output_name(job: VideoJob) -> str:
    name = job.asset_name.strip() or f"Video {job.create_time:%Y-%m-%d %H:%M}"
    return name[:256]


def _attach(field, path: Path | str | None, name: str) -> None:
    if not path:
        return
    with open(path, "rb") as handle:
        field.save(name, File(handle), save=False)


def store_output(job: VideoJob, result: Any) -> Asset:
    """Move the render's files into storage under a new ACTIVED VIDEO asset."""
    output = Path(result.output)
    extension = output.suffix.lstrip(".")
    base = output_name(job)[:MAX_FILE_NAME - len(extension) - 1]
    asset = Asset(project=job.project, name=output_name(job), asset_type=AssetType.VIDEO,
                  state=AssetState.ACTIVED, original_filename=f"{base}.{extension}",
                  content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
                  size_bytes=output.stat().st_size, duration=result.duration, width=result.width,
                  height=result.height, created_by=job.created_by,
                  meta={"job_id": str(job.id), "codec": result.codec, "frames": result.frames,
                        "render_seconds": result.seconds})
    _attach(asset.file, output, f"video.{extension}")
    _attach(asset.cover, result.cover, "cover.jpg")
    _attach(asset.subtitle_srt, result.subtitles_srt, "subtitles.srt")
    _attach(asset.subtitle_vtt, result.subtitles_vtt, "subtitles.vtt")
    asset.save()
    record_audit(job.project, job.created_by, "asset.create", asset, source="render", job_id=str(job.id))
    return asset
