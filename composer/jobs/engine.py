"""Running a job: claim it, render its scenes (in parallel across workers), join them, publish the result.

The job row is the truth. Every step is a conditional UPDATE on it, so a message delivered twice, a worker
that died, or a reaper that re-queued a scene can never render or publish the same output twice: a worker
whose claim token is no longer the current one stops at its next check.
"""
from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from composer.assets.resolver import ProjectAssetResolver
from composer.jobs import scene_cache, stopping
from composer.jobs.brand_clips import with_brand_clips
from composer.jobs.callbacks import schedule_callback
from composer.jobs.limits import RenderLimitExceeded
from composer.jobs.models import JobState, SceneRender, SceneState, Stage, VideoJob
from composer.jobs.outputs import store_output
from composer.jobs.progress import planned_scene_frames, publish_job
from composer.jobs.watching import Heartbeat, SceneObserver, aggregate_progress
from composer.lib.fetch import FetchRefused
from composer.lib.outage import unavailable_service
from composer.spec.errors import ERROR_ASSET_MISSING, ERROR_DOWNLOAD, ERROR_INTERNAL

log = logging.getLogger(__name__)

WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"


def work_dir(job: VideoJob) -> Path:
    return Path(settings.MEDIA_ROOT) / "work" / str(job.id)


def claim_job(job_id) -> VideoJob | None:
    """WAITING -> PROCESSING for exactly one caller; creates the scene rows. None if someone else has it.

    The claim (which counts the attempt) commits before the plan is made: a worker that dies while planning still
    used up an attempt, and the reaper starts the job again (or fails it) from PROCESSING without scenes."""
    token = uuid.uuid4().hex
    now = timezone.now()
    claimed = VideoJob.objects.filter(pk=job_id, state=JobState.WAITING).update(
        state=JobState.PROCESSING, claim_token=token, attempts=F("attempts") + 1, worker=WORKER_NAME,
        heartbeat_at=now, start_time=now, stage=Stage.SPEECH, percent=0, frames_done=0, frames_total=0,
        eta_seconds=None, join_token="", lastupdate_time=now)
    if not claimed:
        return None
    with transaction.atomic():
        job = VideoJob.objects.get(pk=job_id)
        SceneRender.objects.filter(job=job).delete()
        # The plan: every scene's frames from the start, so the frame counter counts the whole job.
        plan = [planned_scene_frames(job.project, job.spec, i) for i in range(len(job.spec.get("shoot_scripts", [])))]
        SceneRender.objects.bulk_create(SceneRender(job=job, index=i, frames_total=frames) for i, frames in enumerate(plan))
        job.frames_total = sum(plan)
        VideoJob.objects.filter(pk=job_id, claim_token=token).update(frames_total=job.frames_total)
    publish_job(job)
    return job


def claim_scene(job_id, index: int, job_token: str) -> tuple[VideoJob, SceneRender, str] | None:
    token = uuid.uuid4().hex
    with transaction.atomic():
        job = VideoJob.objects.filter(pk=job_id, state=JobState.PROCESSING, claim_token=job_token).first()
        if job is None:
            return None
        claimed = SceneRender.objects.filter(job=job, index=index, state=SceneState.WAITING).update(
            state=SceneState.PROCESSING, claim_token=token, attempts=F("attempts") + 1, worker=WORKER_NAME,
            heartbeat_at=timezone.now(), stage=Stage.SPEECH, percent=0, frames_done=0)
        if not claimed:
            return None
        return job, SceneRender.objects.get(job=job, index=index), token


def render_scene(job_id, index: int, job_token: str, *, on_released=None) -> bool:
    """Render one scene if it is still ours to render; join the job when it was the last one. True if rendered.

    When this process is stopping (composer.jobs.stopping) the scene is not claimed, or a render under way stops
    and hands the scene back (then `on_released()` is called: it may send the scene to another worker)."""
    if stopping.requested():
        return False
    with stopping.rendering():
        return _render_scene(job_id, index, job_token, on_released)


def _render_scene(job_id, index: int, job_token: str, on_released) -> bool:
    # The engine (PyAV, the voices) loads on first use, not with every web process.
    from composer.render import RenderCancelled
    from composer.render import render_scene as render_scene_file

    claimed = claim_scene(job_id, index, job_token)
    if claimed is None:
        return False
    job, scene, token = claimed
    directory = work_dir(job) / f"scene-{index}-{token[:8]}"
    directory.mkdir(parents=True, exist_ok=True)
    observer = SceneObserver(job, scene, token)
    resolver = ProjectAssetResolver(job.project, work_dir(job))
    try:
        key = scene_cache.scene_key(job.project, job.spec, index)
        result = scene_cache.fetch(key, directory)
        if result is None:
            # One render per key at a time: another worker may be rendering this very scene (a batch's shared one).
            with Heartbeat(job.pk, scene.pk), scene_cache.render_turn(key, observer.should_cancel) as ours:
                if not ours:
                    raise RenderCancelled()
                result = scene_cache.fetch(key, directory)
                if result is None:
                    result = result_to_json(render_scene_file(
                        job.spec, index, resolver, directory / "segment", observer.on_progress,
                        should_cancel=observer.should_cancel, encoder_threads=settings.COMPOSER_ENCODER_THREADS))
                    scene_cache.store(key, result)
        if result.get("reused"):
            log.info("scene %s of job %s reused from an earlier render", index, job_id)
    except RenderCancelled:
        shutil.rmtree(directory, ignore_errors=True)
        if observer.stopped is not None:
            fail_job(job, observer.stopped, scene_index=index, token=job_token)
            return False
        if stopping.requested():
            if release_scene(scene.pk, token) and on_released is not None:
                on_released()
            return False
        if VideoJob.objects.filter(pk=job.pk, state=JobState.CANCELED).exists():
            shutil.rmtree(work_dir(job), ignore_errors=True)
        log.info("scene %s of job %s stopped: canceled or re-assigned", index, job_id)
        return False
    except Exception as exc:
        shutil.rmtree(directory, ignore_errors=True)
        if unavailable_service(exc):
            # PostgreSQL or Redis went away mid-render: not the job's fault. The scene is handed back if the
            # database answers again at once, else the reaper finds it silent and renders it again.
            log.warning("scene %s of job %s stopped: %s was unavailable", index, job_id, unavailable_service(exc))
            with contextlib.suppress(Exception):
                if release_scene(scene.pk, token) and on_released is not None:
                    on_released()
            return False
        fail_job(job, exc, scene_index=index, token=job_token)
        return False
    done = SceneRender.objects.filter(pk=scene.pk, claim_token=token, state=SceneState.PROCESSING).update(
        state=SceneState.DONE, result=result, percent=100, stage=Stage.DONE, frames_done=result["frames"],
        frames_total=result["frames"])
    if not done:
        shutil.rmtree(directory, ignore_errors=True)
        return False
    aggregate_progress(job.pk)
    maybe_join(job.pk, job_token)
    return True


def release_scene(scene_pk: int, token: str) -> bool:
    """A scene this stopping process was rendering goes back to WAITING for another worker (if it is still ours).

    A deliberate stop is not a failed attempt: the attempt the claim counted is given back (a render that keeps
    being stopped still ends at COMPOSER_MAX_RENDER_SECONDS after its job started)."""
    released = SceneRender.objects.filter(pk=scene_pk, claim_token=token, state=SceneState.PROCESSING).update(
        state=SceneState.WAITING, claim_token="", attempts=Greatest(F("attempts") - 1, 0), stage=Stage.QUEUED,
        percent=0, frames_done=0, heartbeat_at=timezone.now())
    if released:
        log.warning("scene %s handed back: this worker is stopping", scene_pk)
    return bool(released)


def result_to_json(result: Any) -> dict:
    from dataclasses import asdict, is_dataclass

    data = asdict(result) if is_dataclass(result) else dict(result)
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in data.items()}


def maybe_join(job_id, job_token: str) -> bool:
    """Join the scenes into the output, once, by whoever finishes the last scene (or the reaper)."""
    if SceneRender.objects.filter(job_id=job_id).exclude(state=SceneState.DONE).exists():
        return False
    join_token = uuid.uuid4().hex
    took = VideoJob.objects.filter(pk=job_id, state=JobState.PROCESSING, claim_token=job_token,
                                   join_token="").update(join_token=join_token, stage=Stage.UPLOAD,
                                                         heartbeat_at=timezone.now())
    if not took:
        return False
    join_job(job_id, job_token, join_token)
    return True


def join_job(job_id, job_token: str, join_token: str) -> None:
    # The engine (PyAV, the voices) loads on first use, not with every web process.
    from composer.render import join_scenes

    job = VideoJob.objects.get(pk=job_id)
    scenes = list(SceneRender.objects.filter(job=job).order_by("index"))
    output_dir = work_dir(job) / f"join-{join_token[:8]}"
    output_dir.mkdir(parents=True, exist_ok=True)
    extension = {"H264": "mp4", "VP8": "webm", "QTRLE": "mov"}[job.spec["video_config"].get("codec", "H264")]
    try:
        with Heartbeat(job.pk, None):
            resolver = ProjectAssetResolver(job.project, work_dir(job))
            # The brand kit's intro and outro join as scenes of their own (composer.jobs.brand_clips).
            parts = with_brand_clips(job, [s.result for s in scenes], output_dir)
            result = join_scenes(job.spec, parts, output_dir / f"output.{extension}", resolver)
            finished = finish_job(job_id, join_token, result)
    except Exception as exc:
        if unavailable_service(exc):
            # Not the job's fault: the reaper joins it again once the services answer (job.attempts counts it).
            log.warning("join of job %s stopped: %s was unavailable", job_id, unavailable_service(exc))
            return
        fail_job(job, exc, token=job_token)
        return
    finally:
        shutil.rmtree(output_dir, ignore_errors=True)
    if not finished:
        log.info("join of job %s dropped: the job was canceled or re-assigned", job_id)
        return
    shutil.rmtree(work_dir(job), ignore_errors=True)
    job.refresh_from_db()
    publish_job(job)
    schedule_callback(job)


def finish_job(job_id, join_token: str, result: Any) -> bool:
    """Store the output as a VIDEO asset and mark the job SUCCEED, unless it stopped being ours."""
    with transaction.atomic():
        job = VideoJob.objects.select_for_update().get(pk=job_id)
        if job.state != JobState.PROCESSING or job.join_token != join_token:
            return False
        asset = store_output(job, result)
        now = timezone.now()
        VideoJob.objects.filter(pk=job_id).update(
            state=JobState.SUCCEED, stage=Stage.DONE, percent=100, eta_seconds=0, output_asset_id=asset.id,
            duration=result.duration, end_time=now, lastupdate_time=now, frames_done=result.frames,
            frames_total=result.frames)
    return True


def explain_failure(exc: Exception) -> tuple[str, str]:
    """error_info for a failed render, in words a user can act on."""
    if isinstance(exc, FetchRefused):
        return ERROR_DOWNLOAD, f"A file could not be downloaded: {exc}"
    if isinstance(exc, RenderLimitExceeded):
        return exc.error_code, str(exc)
    if isinstance(exc, LookupError):
        return ERROR_ASSET_MISSING, f"An asset is missing: {exc}"
    return ERROR_INTERNAL, f"The render failed: {exc.__class__.__name__}: {exc}"


def fail_job(job: VideoJob, exc: Exception, *, scene_index: int | None = None, token: str | None = None) -> None:
    code, message = explain_failure(exc)
    if scene_index is not None:
        message = f"Scene {scene_index + 1}: {message}"
    log.error("job %s failed: %s", job.pk, message, exc_info=exc)
    filters = {"pk": job.pk, "state": JobState.PROCESSING}
    if token:
        filters["claim_token"] = token
    now = timezone.now()
    changed = VideoJob.objects.filter(**filters).update(state=JobState.FAILED, error_code=code,
                                                        error_msg=message[:2000], end_time=now,
                                                        lastupdate_time=now, eta_seconds=None)
    if changed:
        job.refresh_from_db()
        publish_job(job)
        schedule_callback(job)
