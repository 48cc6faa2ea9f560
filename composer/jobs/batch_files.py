"""A batch's files: every finished video in one ZIP, streamed while it is written (stored, not compressed: MP4 and
WebM are compressed already), and a CSV of each row, its values and its video's links."""
from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from composer.assets.models import Asset
from composer.jobs.batches import row_jobs
from composer.jobs.models import JobState, VideoBatch
from composer.jobs.payloads import output_urls
from composer.lib.sheets import csv_text

CHUNK = 1024 * 1024


class _Pipe:
    """A write-only stream the ZIP writer fills and the response empties: no seeking, so zipfile writes each
    entry's sizes after its data."""

    def __init__(self):
        self.buffer = bytearray()

    def write(self, data) -> int:
        self.buffer += data
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = bytes(self.buffer)
        self.buffer.clear()
        return data


def _file_name(index: int, name: str, suffix: str, used: set[str]) -> str:
    clean = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", "_", name).strip(" .") or "video"
    base = f"{index + 1:04d} {clean[:100]}"
    candidate, n = f"{base}{suffix}", 2
    while candidate in used:
        candidate, n = f"{base} ({n}){suffix}", n + 1
    used.add(candidate)
    return candidate


def finished_files(batch: VideoBatch) -> list[tuple[str, Path]]:
    """(name in the ZIP, file on disk) of every row whose video is ready, rows in order."""
    jobs = {index: job for index, job in row_jobs(batch).items() if job.state == JobState.SUCCEED}
    assets = Asset.objects.in_bulk([job.output_asset_id for job in jobs.values() if job.output_asset_id])
    used: set[str] = set()
    files = []
    for index in sorted(jobs):
        asset = assets.get(jobs[index].output_asset_id)
        if asset is None or not asset.file:
            continue
        path = Path(asset.file.path)
        files.append((_file_name(index, jobs[index].asset_name or asset.name, path.suffix or ".mp4", used), path))
    return files


def zip_stream(files: list[tuple[str, Path]]) -> Iterator[bytes]:
    """The ZIP of these files, a piece at a time: memory holds about one chunk whatever the videos weigh."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, path in files:
            with path.open("rb") as source, archive.open(name, "w", force_zip64=True) as entry:
                while chunk := source.read(CHUNK):
                    entry.write(chunk)
                    yield pipe.take()
            yield pipe.take()
    yield pipe.take()


def links_csv(batch: VideoBatch, base_url: str) -> str:
    """One line per row: its number, its values, the video's name, job id, state, page and download link."""
    jobs = row_jobs(batch)
    names = list(batch.rows[0]["values"]) if batch.rows else []
    lines = []
    for index, row in enumerate(batch.rows):
        job = jobs.get(index)
        page = f"{base_url}/p/{batch.project_id}/videos/{job.id}" if job else ""
        video = output_urls(job, base_url)["preview_video_url"] if job else ""
        lines.append([row["row"], *(row["values"].get(name, "") for name in names), row["output_name"] or "",
                      str(job.id) if job else "", job.state if job else "", page, video])
    return csv_text(["row", *names, "video_name", "job_id", "state", "page_url", "video_url"], lines)
