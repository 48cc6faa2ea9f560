"""Watching a scene while it renders: the heartbeat that tells the reaper the worker is alive, the observer that
turns the renderer's progress into row updates and answers 'should I stop?' (canceled, re-assigned, a render
limit reached, or this process stopping), and the job's progress summed from its scenes."""
from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from composer.jobs import stopping
from composer.jobs.limits import RenderLimitExceeded, SceneLimits
from composer.jobs.models import JobState, SceneRender, SceneState, Stage, VideoJob
from composer.jobs.progress import estimate_eta, prior_rate, publish_job, take_preview_turn

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.5
CANCEL_CHECK_INTERVAL = 0.4
_publishing = threading.Lock()


class Heartbeat:
    """Proves to the reaper, every few seconds, that this worker still renders the scene."""

    def __init__(self, job_id, scene_pk: int | None):
        self.job_id = job_id
        self.scene_pk = scene_pk
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id}", daemon=True)

    def _run(self) -> None:
        from django.db import close_old_connections

        while not self._stop.wait(settings.COMPOSER_HEARTBEAT_SECONDS):
            try:
                now = timezone.now()
                VideoJob.objects.filter(pk=self.job_id, state=JobState.PROCESSING).update(heartbeat_at=now)
                if self.scene_pk:
                    SceneRender.objects.filter(pk=self.scene_pk).update(heartbeat_at=now)
            except Exception:
                log.warning("heartbeat of job %s failed", self.job_id, exc_info=True)
            finally:
                close_old_connections()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=2)


class SceneObserver:
    """Turns the renderer's progress callbacks into throttled row updates, and answers 'should I stop?'."""

    def __init__(self, job: VideoJob, scene: SceneRender, scene_token: str):
        self.job = job
        self.scene = scene
        self.scene_token = scene_token
        self._last_write = 0.0
        self._last_check = 0.0
        self._cancelled = False
        self.limits = SceneLimits(job, scene)
        self.frames_done = 0
        self.stopped: RenderLimitExceeded | None = None  # why the render was stopped, when a limit stopped it

    def should_cancel(self) -> bool:
        if stopping.requested():
            return True
        if self.stopped is None:
            self.stopped = self.limits.exceeded(self.frames_done)
        if self.stopped is not None:
            return True
        now = time.monotonic()
        if not self._cancelled and now - self._last_check >= CANCEL_CHECK_INTERVAL:
            self._last_check = now
            still_ours = SceneRender.objects.filter(
                pk=self.scene.pk, claim_token=self.scene_token, state=SceneState.PROCESSING,
                job__state=JobState.PROCESSING, job__claim_token=self.job.claim_token).exists()
            self._cancelled = not still_ours
        return self._cancelled

    def on_progress(self, progress: Any) -> None:
        self.frames_done = max(self.frames_done, progress.frames_done)
        now = time.monotonic()
        final = progress.percent >= 100
        preview = progress.preview_jpeg if progress.preview_jpeg and take_preview_turn(self.job.pk) else None
        if not final and not preview and now - self._last_write < PROGRESS_INTERVAL:
            return
        self._last_write = now
        # Until the scene's speech is made its length is the plan's (the renderer reports 0 frames meanwhile).
        planned = {"frames_total": progress.frames_total} if progress.frames_total else {}
        SceneRender.objects.filter(pk=self.scene.pk, claim_token=self.scene_token).update(
            stage=progress.stage, percent=progress.percent, frames_done=progress.frames_done,
            eta_seconds=progress.eta_seconds, heartbeat_at=timezone.now(), **planned)
        # Scenes render on parallel threads: aggregating and publishing one at a time per process keeps the
        # frame counter that watchers see from stepping back when two updates cross.
        with _publishing:
            job = aggregate_progress(self.job.pk)
            if job is not None:
                publish_job(job, preview_jpeg=preview)


STAGE_ORDER = [Stage.QUEUED, Stage.SPEECH, Stage.LIPSYNC, Stage.COMPOSE, Stage.ENCODE, Stage.UPLOAD, Stage.DONE]
JOIN_SHARE = 5.0  # percent of the job that the join (mux, music, upload) accounts for


def aggregate_progress(job_id) -> VideoJob | None:
    """The job's stage, frames and percent from its scenes; the time left from the frames still to render (the
    plan's until a scene knows its own) at a rate smoothed from this machine's earlier jobs (progress.py)."""
    scenes = list(SceneRender.objects.filter(job_id=job_id))
    job = VideoJob.objects.filter(pk=job_id, state=JobState.PROCESSING).first()
    if job is None or not scenes:
        return job
    unfinished = [s for s in scenes if s.state != SceneState.DONE]
    # Scenes still waiting for a free worker say nothing of where the job is ("Queued" at 40% read as stuck).
    started = [s for s in unfinished if s.state != SceneState.WAITING] or unfinished
    stage = min((s.stage for s in started), key=STAGE_ORDER.index) if unfinished else Stage.UPLOAD
    percent = sum(100.0 if s.state == SceneState.DONE else s.percent for s in scenes) / len(scenes)
    percent = round(percent * (100 - JOIN_SHARE) / 100, 2)
    elapsed = (timezone.now() - job.start_time).total_seconds() if job.start_time else 0
    frames_total = sum(s.frames_total for s in scenes)
    # Reused scenes count as done from the start; the counter never goes back (a re-queued scene starts over).
    frames_done = min(frames_total, max(job.frames_done, sum(s.frames_done for s in scenes)))
    reused = sum(s.frames_total for s in scenes if (s.result or {}).get("reused"))
    eta = estimate_eta(prior=prior_rate(job.spec), elapsed=elapsed, fresh_done=max(0, frames_done - reused),
                       fresh_total=frames_total - reused)
    # Greatest: another scene's worker may have stored a later count since this one read the row.
    VideoJob.objects.filter(pk=job_id, state=JobState.PROCESSING).update(
        stage=stage, percent=max(percent, 0), frames_done=Greatest(F("frames_done"), frames_done),
        frames_total=frames_total, eta_seconds=eta, heartbeat_at=timezone.now(), lastupdate_time=timezone.now())
    stored = VideoJob.objects.filter(pk=job_id).values_list("frames_done", flat=True).first()
    job.stage, job.percent, job.frames_done, job.frames_total, job.eta_seconds = (
        stage, percent, max(frames_done, stored or 0), frames_total, eta)
    return job
