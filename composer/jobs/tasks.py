"""Celery tasks: thin wrappers around the engine. Claims make every task safe to deliver twice.

Workers find every task by importing this module: the callback delivery task is defined beside its delivery code
(the engine schedules it, so it cannot live here) and imported below."""
from __future__ import annotations

import functools
import logging

from celery import group, shared_task
from django.conf import settings

from composer.jobs import engine, remote, turns
from composer.jobs.callbacks import deliver_callback
from composer.jobs.models import Stage, VideoJob
from composer.lib.outage import unavailable_service

__all__ = ["deliver_callback", "dispatch_scenes", "follow_remote", "join_job", "render_scene", "start_job"]

log = logging.getLogger(__name__)

OUTAGE_RETRY_SECONDS = 5
OUTAGE_RETRIES = 120        # ten minutes of PostgreSQL or Redis away


def retried_through_outages(task):
    """A task that PostgreSQL or Redis refused is sent again a little later rather than dropped: its message is
    gone once it ran, and nothing else would start a WAITING job whose start was lost that way."""
    @functools.wraps(task)
    def run(self, *args):
        try:
            return task(*args)
        except Exception as exc:
            if unavailable_service(exc) is None:
                raise
            raise self.retry(exc=exc, countdown=OUTAGE_RETRY_SECONDS) from exc

    return run


def _task(name: str):
    return shared_task(name=name, bind=True, acks_late=True, reject_on_worker_lost=True,
                       max_retries=OUTAGE_RETRIES)


@_task("composer.jobs.start_job")
@retried_through_outages
def start_job(job_id: str) -> None:
    """Claim a WAITING job and fan its scenes out to the workers; a job for MetaStudio is sent there instead."""
    from composer.jobs.limits import refuse_plan

    if VideoJob.objects.filter(pk=job_id, stage=Stage.REMOTE).exists():
        job, sent = remote.submit_remote(job_id)
        if sent and job.remote_job_id and not job.is_final:
            follow_remote.apply_async((str(job_id),), countdown=remote.next_poll_seconds(0))
        return
    job = engine.claim_job(job_id)
    if job is None:
        return
    if refused := refuse_plan(job):
        engine.fail_job(job, refused, token=job.claim_token)
        return
    dispatch_scenes(job_id, job.claim_token, range(len(job.spec.get("shoot_scripts", []))))


def dispatch_scenes(job_id: str, job_token: str, indexes) -> None:
    # Scenes join through the job row (the last scene to finish joins), not a chord: a chord's join is lost
    # when a worker dies mid-way, a row is not.
    group(render_scene.s(str(job_id), index, job_token) for index in indexes).apply_async()


@_task("composer.jobs.render_scene")
@retried_through_outages
def render_scene(job_id: str, index: int, job_token: str) -> None:
    def hand_over() -> None:
        # A stopping scale-out worker sends the scene it let go of to the others at once; the embedded worker's
        # queue ends with its process, so the next start-up's recovery sends it (reaper.recover_at_startup).
        if not settings.COMPOSER_EMBEDDED_WORKER:
            dispatch_scenes(job_id, job_token, [index])

    engine.render_scene(job_id, index, job_token, on_released=hand_over)
    next_in_batch(job_id)  # a failed scene fails its job


@_task("composer.jobs.join_job")
@retried_through_outages
def join_job(job_id: str, job_token: str) -> None:
    engine.maybe_join(job_id, job_token)
    next_in_batch(job_id)


def next_in_batch(job_id: str) -> None:
    """A batch's job that ended frees its place: the batch's next held job is queued now, not at the reaper's
    next pass (which still catches what this misses)."""
    try:
        batch_id = turns.batch_of_ended(job_id)
        if batch_id is not None:
            turns.release_held(batch_id, start=start_job.delay)
    except Exception:
        log.warning("could not queue the next job of the batch of job %s; the reaper will", job_id, exc_info=True)


@_task("composer.jobs.follow_remote")
@retried_through_outages
def follow_remote(job_id: str) -> None:
    """Look at a job on MetaStudio once; look again later until it is final."""
    wait = remote.poll_remote(job_id)
    if wait is not None:
        follow_remote.apply_async((str(job_id),), countdown=wait)
