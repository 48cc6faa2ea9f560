"""Limits on a render while it runs: how many frames a scene and the whole video reach, and the wall time.

The submit check (composer.scripts.length) refuses a scene or a video planned longer than
COMPOSER_MAX_SCENE_SECONDS / COMPOSER_MAX_VIDEO_SECONDS. A plan is an estimate (speech is priced per word, an
audio or video file from a URL is measured only once downloaded), so a render may run somewhat past it; one that
grows past a limit by more than OVERRUN is stopped, and so is one still running COMPOSER_MAX_RENDER_SECONDS after
the job started. The job then fails with the reason.
"""
from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import Greatest
from django.utils import timezone

from composer.jobs.models import SceneRender, VideoJob
from composer.scripts.length_rules import clock, max_scene_seconds, max_video_seconds
from composer.spec.errors import ERROR_RENDER_LIMIT
from composer.spec.rules import FIXED_FRAME_RATE

FPS = int(FIXED_FRAME_RATE)

LIMIT_ERROR = ERROR_RENDER_LIMIT
OVERRUN = 1.25            # a render may run this far past a limit (the plan's estimate is not exact)
OTHERS_EVERY_SECONDS = 5.0


class RenderLimitExceeded(Exception):
    """A render reached a limit; the message says which, in words a user can act on."""

    error_code = LIMIT_ERROR


def allowed_frames(limit_seconds: float) -> int:
    return int(limit_seconds * OVERRUN * FPS)


def refuse_plan(job: VideoJob) -> RenderLimitExceeded | None:
    """A job whose planned frames are over the video limit (planned before the limit was lowered) is refused
    before any scene renders."""
    if job.frames_total > allowed_frames(max_video_seconds()):
        return RenderLimitExceeded(f"The video would last about {clock(job.frames_total / FPS)}; a video may last "
                                   f"at most {clock(max_video_seconds())}")
    return None


class SceneLimits:
    """Asked by a scene's render every few frames: has it reached a limit? (the frames it composed so far)"""

    def __init__(self, job: VideoJob, scene: SceneRender):
        self.job_id = job.pk
        self.scene_pk = scene.pk
        started = job.start_time or timezone.now()
        self.deadline = started + timedelta(seconds=settings.COMPOSER_MAX_RENDER_SECONDS)
        self._others = 0
        self._others_at = float("-inf")

    def _other_scenes_frames(self) -> int:
        """The job's other scenes: the larger of each one's planned and composed frames, re-read every few
        seconds (they render at the same time on other workers)."""
        now = time.monotonic()
        if now - self._others_at >= OTHERS_EVERY_SECONDS:
            self._others = SceneRender.objects.filter(job_id=self.job_id).exclude(pk=self.scene_pk).aggregate(
                frames=Sum(Greatest("frames_total", "frames_done")))["frames"] or 0
            self._others_at = now
        return self._others

    def exceeded(self, frames_done: int) -> RenderLimitExceeded | None:
        if timezone.now() > self.deadline:
            return RenderLimitExceeded(f"The render was stopped: it was still running "
                                       f"{clock(settings.COMPOSER_MAX_RENDER_SECONDS)} after it started, the "
                                       "longest a render may take")
        if frames_done > allowed_frames(max_scene_seconds()):
            return RenderLimitExceeded(f"The render was stopped: the scene reached {clock(frames_done / FPS)} "
                                       f"({frames_done:,} frames); a scene may last at most "
                                       f"{clock(max_scene_seconds())}")
        total = frames_done + self._other_scenes_frames()
        if total > allowed_frames(max_video_seconds()):
            return RenderLimitExceeded(f"The render was stopped: the video reached {clock(total / FPS)} with its "
                                       f"other scenes; a video may last at most {clock(max_video_seconds())}")
        return None
