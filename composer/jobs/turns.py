"""A batch's turns: only COMPOSER_BATCH_PARALLEL of its jobs are queued or rendering at a time, rows in order, so a
large batch cannot starve other projects' videos. The next held job is queued as soon as one of the batch's jobs
ends (composer.jobs.tasks), and every reaper pass looks again (a queue that refused, a cancel)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from composer.jobs.models import FINAL_STATES, JobState, VideoBatch, VideoJob


def release_held(batch_id: Any = None, *, start: Callable[[str], Any]) -> int:
    """Queue (with `start`, given the job id) held jobs of each batch, or of this one, while fewer than
    COMPOSER_BATCH_PARALLEL of its jobs are queued or rendering, rows in order; returns how many were queued. The
    batch row is locked while counting, so two workers never both fill the same free place."""
    held = VideoJob.objects.filter(batch_held=True, state=JobState.WAITING)
    ids = [batch_id] if batch_id is not None else set(held.values_list("batch_id", flat=True))
    released = 0
    for key in ids:
        with transaction.atomic():
            if VideoBatch.objects.select_for_update().filter(pk=key).first() is None:
                continue
            busy = VideoJob.objects.filter(batch_id=key, batch_held=False).exclude(state__in=FINAL_STATES).count()
            free = max(0, settings.COMPOSER_BATCH_PARALLEL - busy)
            turn = list(held.filter(batch_id=key).order_by("batch_row", "create_time")
                        .values_list("pk", flat=True)[:free])
            # When it was queued: the reaper sends it again if no worker claims it (composer/jobs/reaper.py).
            VideoJob.objects.filter(pk__in=turn, batch_held=True).update(batch_held=False, heartbeat_at=timezone.now())
        for pk in turn:
            try:
                start(str(pk))
            except Exception:
                # The queue refused (Redis is down): held again, the next reaper pass tries again.
                VideoJob.objects.filter(pk=pk, state=JobState.WAITING).update(batch_held=True)
                raise
        released += len(turn)
    return released


def batch_of_ended(job_id: Any) -> Any:
    """The batch of this job if the job is a batch's and has ended (its place is free), else None."""
    return VideoJob.objects.filter(pk=job_id, state__in=FINAL_STATES, batch__isnull=False) \
        .values_list("batch_id", flat=True).first()
