"""The one JSON shape of a job: the API's show/list bodies and the websocket messages use it."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet

from composer.assets.models import Asset
from composer.assets.urls_for import NO_URLS, asset_urls, urls_of
from composer.jobs.models import Stage, VideoJob, VideoTag
from composer.spec.reference import to_reference
from composer.spec.transparency import video_has_alpha

SCRIPT_FIELDS = ("model_asset_id", "voice_config", "video_config", "shoot_scripts", "background_music_config")


def format_time(value: datetime | None) -> str | None:
    """MetaStudio's timestamps: UTC, ISO 8601, second precision, 'Z' suffix."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_LOAD = object()


def output_urls(job: VideoJob, base_url: str | None = None, asset: Any = _LOAD) -> dict[str, str]:
    """Download URLs of the job's output asset (filled in once the render produced one); `asset` is that asset
    when the caller loaded it already (None: it does not exist)."""
    if not job.output_asset_id:
        return dict(NO_URLS)
    if asset is _LOAD:
        return asset_urls(job.output_asset_id, base_url)
    return urls_of(asset, base_url)


def job_payloads(jobs, *, base_url: str | None = None) -> list[dict[str, Any]]:
    """job_payload() of each job, their output assets and their tags read in one query each (a list costs the
    same at any length). A queryset is read without its tag_rows prefetch: the tags' names alone cost less than
    the prefetch's rows; jobs already read with it keep theirs."""
    if isinstance(jobs, QuerySet):
        jobs = jobs.prefetch_related(None)
    jobs = list(jobs)
    assets = Asset.objects.in_bulk([job.output_asset_id for job in jobs if job.output_asset_id])
    tags = tags_of([job for job in jobs if "tag_rows" not in getattr(job, "_prefetched_objects_cache", {})])
    return [job_payload(job, base_url=base_url, asset=assets.get(job.output_asset_id), tags=tags.get(job.pk, _LOAD))
            for job in jobs]


def tags_of(jobs: list[VideoJob]) -> dict[Any, list[str]]:
    """The tags of these jobs by job id, in the order they were set."""
    tags: dict[Any, list[str]] = {job.pk: [] for job in jobs}
    if jobs:
        for job_id, name in VideoTag.objects.filter(job__in=list(tags)).order_by("job_id", "id") \
                .values_list("job_id", "name"):
            tags[job_id].append(name)
    return tags


def job_tags(job: VideoJob) -> list[str]:
    """A job's tags: from its prefetched rows, else their names alone (ordered by id: the rows' default order
    would join the jobs table to sort by the job)."""
    if "tag_rows" in getattr(job, "_prefetched_objects_cache", {}):
        return [row.name for row in job.tag_rows.all()]
    return list(job.tag_rows.order_by("id").values_list("name", flat=True))


def job_payload(job: VideoJob, *, show_script: bool = False, base_url: str | None = None,
                asset: Any = _LOAD, tags: Any = _LOAD) -> dict[str, Any]:
    """base_url makes the download links absolute (API responses); pages and websockets use relative ones."""
    urls = output_urls(job, base_url, asset)
    body: dict[str, Any] = {
        "job_id": str(job.id),
        "state": job.state,
        "job_type": VideoJob.JOB_TYPE,
        "start_time": format_time(job.start_time),
        "end_time": format_time(job.end_time),
        "duration": job.duration,
        "output_asset_config": {
            "asset_id": job.output_asset_id or None,
            "asset_name": job.asset_name,
            "cover_url": urls["cover_url"] or None,
            "preview_video_url": urls["preview_video_url"] or None,
            # Our addition: the subtitles every render writes (MetaStudio has per-scene subtitle_file_info).
            "subtitle_srt_url": urls["subtitle_srt_url"] or None,
            "subtitle_vtt_url": urls["subtitle_vtt_url"] or None,
        },
        "error_info": {"error_code": job.error_code, "error_msg": job.error_msg} if job.error_code else None,
        "create_time": format_time(job.create_time),
        "lastupdate_time": format_time(job.lastupdate_time),
        "script_id": job.script_id or None,
        # Our addition: the video's tags (folders), as set with PUT .../2d-digital-human-videos/{job_id}/tags.
        "tags": job_tags(job) if tags is _LOAD else tags,
        # Our addition: where the render is, so clients need not guess.
        "progress": {
            "stage": job.stage,
            "percent": round(job.percent, 1),
            "frames_done": job.frames_done,
            "frames_total": job.frames_total,
            "eta_seconds": None if job.eta_seconds is None else round(job.eta_seconds, 1),
        },
    }
    if job.stage == Stage.REMOTE or job.remote_job_id:
        # Our addition: the extensions in the body that MetaStudio does not define, not sent there.
        body["dropped_extensions"] = to_reference(job.spec or {})[1]
    if show_script:
        for field in SCRIPT_FIELDS:
            if field in job.spec:
                body[field] = job.spec[field]
    return body


def render_summary(job: VideoJob) -> dict[str, Any]:
    """What a video is rendered as, in the spec's terms: size, codec, bitrate, subtitles, whether it keeps
    see-through parts, its scenes, and how many of them were reused from an earlier render."""
    spec = job.spec or {}
    video = spec.get("video_config") or {}
    return {"width": video.get("width"), "height": video.get("height"), "codec": video.get("codec"),
            "bitrate": video.get("bitrate"), "subtitles": bool(video.get("is_subtitle_enable")),
            "transparent": video_has_alpha(spec), "scenes": len(spec.get("shoot_scripts") or []),
            "reused": sum(1 for scene in job.scenes.all() if (scene.result or {}).get("reused"))}
