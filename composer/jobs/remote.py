"""Rendering a job on the project's MetaStudio account: send its approved body once, follow the remote job,
and bring the finished video home as the job's output asset.

The steps are conditional updates on the job row, as the local engine's are: `submit_remote` marks the job
sent (remote_submitted_at) before it sends, so a retried or repeated call never sends it twice, and tags the
remote job with our job id (in its output asset name, which MetaStudio's list echoes): when the create's answer
is lost, the job that was made is found by that tag and followed, never made again; `poll_remote`
reads the remote job once and answers when to look again (growing waits), or None once the job is final.
"""
from __future__ import annotations

import copy
import logging
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from composer.assets.checks import probe_media
from composer.assets.models import Asset, AssetSource
from composer.errors import InvalidInput
from composer.jobs.callbacks import schedule_callback
from composer.jobs.models import JobState, Stage, VideoJob
from composer.jobs.outputs import store_output
from composer.jobs.progress import publish_job
from composer.lib import fetch
from composer.metastudio.client import (
    CredentialsRefused,
    MetaStudioError,
    RemoteRejected,
    RemoteUnavailable,
)
from composer.spec.errors import ERROR_REMOTE
from composer.spec.reference import to_reference
from composer.teams.remote_account import client_for
from composer.teams.render_target import download_hosts, may_download, record_status, target_of

log = logging.getLogger(__name__)
POLL_MAX_SECONDS = 60.0
# A job marked sent this long ago that never got a remote job id: the sending process died mid-way.
SEND_INTERRUPTED_SECONDS = 600
# Composer's own delivery: the remote must not call the job's callback_url (we do, once the video is home); the
# body already holds the script's composition, and the script id is ours (MetaStudio would look for its own).
NOT_SENT = ("callback_config", "script_id")
ASSET_NAME_MAX = 256          # the spec's limit on output_asset_config.asset_name
FIND_PAGE = 50
FIND_PAGES = 4                # the newest 200 remote jobs are searched for a job whose create answer was lost


@dataclass(frozen=True)
class RemoteResult:
    """The remote's finished video, downloaded, in the shape store_output takes from a local render."""

    output: Path
    duration: float | None
    width: int | None
    height: int | None
    codec: str | None
    frames: int
    seconds: float | None
    cover: Path | None
    subtitles_srt: Path | None = None
    subtitles_vtt: Path | None = None


def remote_tag(job_id) -> str:
    """What marks the remote job as ours: the end of its output asset name."""
    return f"[composer {job_id}]"


def tagged_name(name: str, job_id) -> str:
    tag = remote_tag(job_id)
    name = name.strip()[:ASSET_NAME_MAX - len(tag) - 1].rstrip()
    return f"{name} {tag}" if name else tag


def ignored_there(job: VideoJob) -> list[str]:
    """The paths of our extensions in the job's body that are not sent to MetaStudio (spec/reference.py)."""
    return to_reference(job.spec or {})[1]


def remote_body(job: VideoJob) -> dict[str, Any]:
    """The approved body as MetaStudio takes it: our extensions taken out, imported assets named by their remote
    ids, no callback, and the output asset name ending in our job's tag."""
    body = copy.deepcopy(to_reference(job.spec)[0])
    for key in NOT_SENT:
        body.pop(key, None)
    output = body.get("output_asset_config") if isinstance(body.get("output_asset_config"), dict) else {}
    body["output_asset_config"] = {**output, "asset_name": tagged_name(str(output.get("asset_name") or ""), job.id)}
    imported = dict(Asset.objects.filter(project=job.project_id, source=AssetSource.METASTUDIO)
                    .values_list("id", "remote_asset_id"))

    def rename(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: (imported.get(v, v) if k.endswith("asset_id") and isinstance(v, str) else rename(v))
                    for k, v in value.items()}
        if isinstance(value, list):
            return [rename(item) for item in value]
        return value

    return rename(body)


def _fail(job_id, message: str) -> None:
    now = timezone.now()
    changed = VideoJob.objects.filter(pk=job_id, state__in=(JobState.WAITING, JobState.PROCESSING)).update(
        state=JobState.FAILED, error_code=ERROR_REMOTE, error_msg=message[:2000], end_time=now,
        lastupdate_time=now, eta_seconds=None)
    if changed:
        job = VideoJob.objects.get(pk=job_id)
        publish_job(job)
        schedule_callback(job)


def submit_remote(job_id) -> tuple[VideoJob, bool]:
    """Send the job's body to MetaStudio, once: (the job, whether this call sent it). A job already sent (or
    final, or being canceled) is left as it is. A refusal fails the job saying why; a create that was not
    confirmed fails it saying it may exist there."""
    now = timezone.now()
    claimed = VideoJob.objects.filter(pk=job_id, state=JobState.WAITING, remote_submitted_at__isnull=True,
                                      cancel_requested=False).update(remote_submitted_at=now, stage=Stage.REMOTE,
                                                                     heartbeat_at=now, lastupdate_time=now)
    job = VideoJob.objects.select_related("project").get(pk=job_id)
    if not claimed:
        return job, False
    dropped = ignored_there(job)
    if dropped:
        log.info("job %s: not sent to MetaStudio, which does not define them: %s", job_id, ", ".join(dropped))
    try:
        with client_for(job.project) as remote:
            answer = remote.create_video(remote_body(job))
    except InvalidInput as exc:              # the project's target changed or its SK cannot be opened
        _fail(job_id, exc.error_msg)
        return VideoJob.objects.get(pk=job_id), True
    except RemoteRejected as exc:
        _fail(job_id, f"MetaStudio refused the job: {exc.error_code} {exc.error_msg}".strip())
        return VideoJob.objects.get(pk=job_id), True
    except CredentialsRefused as exc:
        record_status(job.project, False, str(exc))
        _fail(job_id, str(exc))
        return VideoJob.objects.get(pk=job_id), True
    except MetaStudioError as exc:           # the answer was lost: the job may have been made there
        log.warning("job %s: MetaStudio did not confirm the create (%s); looking for it", job_id, exc)
        return _find_or_fail(job, f"MetaStudio did not confirm the job ({exc})",
                             attempts=settings.COMPOSER_REMOTE_FIND_ATTEMPTS), True
    remote_job_id = str(answer.get("job_id") or "")[:64]
    if not remote_job_id:
        _fail(job_id, "MetaStudio accepted the job but answered no job_id")
        return VideoJob.objects.get(pk=job_id), True
    return _adopt(job, remote_job_id), True


def _adopt(job: VideoJob, remote_job_id: str) -> VideoJob:
    """The job now follows the remote job `remote_job_id`."""
    now = timezone.now()
    VideoJob.objects.filter(pk=job.pk, state=JobState.WAITING, remote_job_id="").update(
        remote_job_id=remote_job_id, state=JobState.PROCESSING, start_time=now, heartbeat_at=now,
        lastupdate_time=now)
    job.refresh_from_db()
    publish_job(job)
    log.info("job %s sent to MetaStudio as %s", job.pk, remote_job_id)
    return job


def find_sent(remote, job_id) -> str | None:
    """The id of the remote job tagged with our job id, among the account's newest jobs; None if none is."""
    tag = remote_tag(job_id)
    for page in range(FIND_PAGES):
        listed = remote.list_jobs(limit=FIND_PAGE, offset=page * FIND_PAGE, asset_name=tag)
        jobs = listed.get("jobs") or listed.get("videos") or []
        for shown in jobs:
            name = str((shown.get("output_asset_config") or {}).get("asset_name") or "")
            if name.endswith(tag) and shown.get("job_id"):
                return str(shown["job_id"])[:64]
        if len(jobs) < FIND_PAGE:
            return None
    return None


def _find_or_fail(job: VideoJob, why: str, *, attempts: int) -> VideoJob:
    """Look for the remote job a lost create made (a few looks, waiting between them, as the remote may list it
    late) and follow it; if none turns up, fail the job saying so. It is never sent again either way."""
    for attempt in range(max(attempts, 1)):
        if attempt:
            time.sleep(settings.COMPOSER_REMOTE_FIND_WAIT_SECONDS)
        try:
            with client_for(job.project) as remote:
                found = find_sent(remote, job.pk)
        except (MetaStudioError, InvalidInput) as exc:
            log.warning("job %s: could not list MetaStudio's jobs: %s", job.pk, exc)
            continue
        if found:
            return _adopt(job, found)
    _fail(job.pk, f"{why}; no job tagged {remote_tag(job.pk)} was found on the account after {max(attempts, 1)} "
                  "looks, and it was not sent again: check the account before submitting again")
    return VideoJob.objects.get(pk=job.pk)


def fail_interrupted_sends() -> int:
    """Jobs marked sent long ago that never got a remote job id (the sender died while sending): followed if the
    account has a job tagged with their id, else failed saying so; never sent again."""
    cutoff = timezone.now() - timedelta(seconds=SEND_INTERRUPTED_SECONDS)
    stuck = list(VideoJob.objects.select_related("project").filter(
        state=JobState.WAITING, remote_job_id="", remote_submitted_at__lt=cutoff))
    for job in stuck:
        _find_or_fail(job, "Sending the job to MetaStudio was interrupted", attempts=1)
    return len(stuck)


def next_poll_seconds(polls: int) -> float:
    return min(settings.COMPOSER_REMOTE_POLL_SECONDS * (2 ** min(polls, 10)), POLL_MAX_SECONDS)


def _pass_on_cancel(job: VideoJob) -> None:
    try:
        with client_for(job.project) as remote:
            remote.cancel_video(job.remote_job_id)
    except (MetaStudioError, InvalidInput) as exc:   # already rendering or final there, or the account is gone
        log.warning("job %s: MetaStudio did not take the cancel: %s", job.pk, exc)
        # MetaStudio cancels waiting jobs only: the job page and the show answer say it may still finish there.
        VideoJob.objects.filter(pk=job.pk).update(
            error_code=ERROR_REMOTE, error_msg=f"Canceled here, but MetaStudio did not cancel it there ({exc}); it may still finish "
                      f"on the account as job {job.remote_job_id}")
        publish_job(VideoJob.objects.get(pk=job.pk))


def poll_remote(job_id) -> float | None:
    """Read the remote job once and follow it here; seconds until the next look, or None when it is final.
    A job canceled here is canceled there too."""
    job = VideoJob.objects.select_related("project").get(pk=job_id)
    if job.state == JobState.CANCELED and job.cancel_requested and job.remote_job_id:
        _pass_on_cancel(job)
        return None
    if job.is_final or not job.remote_job_id:
        return None
    deadline = settings.COMPOSER_REMOTE_MAX_SECONDS
    if job.start_time and (timezone.now() - job.start_time).total_seconds() > deadline:
        _fail(job_id, f"MetaStudio did not finish the job within {deadline} s "
                      "(COMPOSER_REMOTE_MAX_SECONDS); it was canceled there")
        _pass_on_cancel(VideoJob.objects.select_related("project").get(pk=job_id))
        return None
    try:
        with client_for(job.project) as remote:
            shown = remote.show_video(job.remote_job_id)
    except RemoteUnavailable as exc:
        log.warning("job %s: MetaStudio unavailable, polling again later: %s", job_id, exc)
        return _polled(job, {})
    except InvalidInput as exc:
        _fail(job_id, exc.error_msg)
        return None
    except MetaStudioError as exc:
        if isinstance(exc, CredentialsRefused):
            record_status(job.project, False, str(exc))
        _fail(job_id, str(exc))
        return None
    state = shown.get("state")
    if state == JobState.SUCCEED:
        _bring_home(job, shown)
        return None
    if state == JobState.FAILED:
        info = shown.get("error_info") or {}
        _fail(job_id, f"MetaStudio could not render the video: {info.get('error_code', '')} "
                      f"{info.get('error_msg', '')}".rstrip())
        return None
    if state == JobState.CANCELED:
        now = timezone.now()
        VideoJob.objects.filter(pk=job_id, state=JobState.PROCESSING).update(
            state=JobState.CANCELED, end_time=now, lastupdate_time=now)
        publish_job(VideoJob.objects.get(pk=job_id))
        return None
    return _polled(job, shown)


def _polled(job: VideoJob, shown: dict[str, Any]) -> float:
    progress = shown.get("progress") if isinstance(shown.get("progress"), dict) else {}
    percent = progress.get("percent") if isinstance(progress.get("percent"), int | float) else job.percent
    VideoJob.objects.filter(pk=job.pk, state=JobState.PROCESSING).update(
        remote_polls=job.remote_polls + 1, stage=Stage.REMOTE, percent=min(float(percent), 99.0),
        lastupdate_time=timezone.now(), heartbeat_at=timezone.now())
    return next_poll_seconds(job.remote_polls)


def _download(url: str, target: Path, endpoint: str) -> Path | None:
    """A link the account answered, fetched by the guarded fetcher, only from the account's download hosts."""
    if not url:
        return None
    if not may_download(url, endpoint):
        raise fetch.FetchRefused(f"{target.name}: its link is not on the account's download hosts "
                                 f"({', '.join(download_hosts(endpoint))}; COMPOSER_REMOTE_DOWNLOAD_HOSTS adds more)")
    fetch.download(url, target)
    return target


def _bring_home(job: VideoJob, shown: dict[str, Any]) -> None:
    """Download the remote's video (and cover, subtitles) into a VIDEO asset; the job SUCCEEDs with it."""
    output = shown.get("output_asset_config") or {}
    endpoint = target_of(job.project).endpoint
    with tempfile.TemporaryDirectory(prefix="composer-remote-") as work:
        folder = Path(work)
        try:
            video = _download(str(output.get("preview_video_url") or ""), folder / "video.mp4", endpoint)
            if video is None:
                raise fetch.FetchRefused("the finished job has no preview_video_url")
            cover = _download(str(output.get("cover_url") or ""), folder / "cover.jpg", endpoint)
            srt = _download(str(output.get("subtitle_srt_url") or ""), folder / "subtitles.srt", endpoint)
            vtt = _download(str(output.get("subtitle_vtt_url") or ""), folder / "subtitles.vtt", endpoint)
        except fetch.FetchRefused as exc:
            _fail(job.pk, f"MetaStudio finished the video but it could not be downloaded: {exc}")
            return
        try:
            info = probe_media(video, None if cover else folder / "probe-cover.jpg")
        except InvalidInput as exc:
            info = {"error": exc.error_msg.removeprefix("file: ")}
        if info.get("error") or not info.get("has_video"):
            _fail(job.pk, f"MetaStudio's video is not a playable video: {info.get('error', 'no video stream')}")
            return
        made_cover = folder / "probe-cover.jpg"
        result = RemoteResult(output=video, duration=shown.get("duration") or info.get("duration"),
                              width=info.get("width"), height=info.get("height"), codec=info.get("video_codec"),
                              frames=0, seconds=None, cover=cover or (made_cover if made_cover.exists() else None),
                              subtitles_srt=srt, subtitles_vtt=vtt)
        with transaction.atomic():
            locked = VideoJob.objects.select_for_update().get(pk=job.pk)
            if locked.state != JobState.PROCESSING:
                return
            asset = store_output(locked, result)
            asset.meta = {**asset.meta, "remote_job_id": job.remote_job_id}
            asset.save(update_fields=["meta"])
            now = timezone.now()
            VideoJob.objects.filter(pk=job.pk).update(
                state=JobState.SUCCEED, stage=Stage.DONE, percent=100, eta_seconds=0, output_asset_id=asset.id,
                duration=result.duration, end_time=now, lastupdate_time=now)
    job.refresh_from_db()
    publish_job(job)
    schedule_callback(job)
