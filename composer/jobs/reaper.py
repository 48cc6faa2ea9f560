"""The reaper: finds renders whose worker stopped proving it is alive and puts them back in the queue, and jobs
on MetaStudio nobody is following any more; and it queues batches' held jobs as their turn comes
(composer/jobs/batches.py), sending again the start of a queued one that no worker claimed."""
from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from composer.jobs import remote, tasks
from composer.jobs.batches import release_held
from composer.jobs.engine import fail_job
from composer.jobs.models import JobState, SceneRender, SceneState, Stage, VideoJob

log = logging.getLogger(__name__)


def _give_up(job: VideoJob, why: str) -> None:
    fail_job(job, RuntimeError(why), token=job.claim_token)


def reap(*, stale_after: float | None = None) -> int:
    """Re-queue stale scenes (up to the retry limit, then fail the job); returns how many were acted on."""
    stale_after = settings.COMPOSER_STALE_AFTER_SECONDS if stale_after is None else stale_after
    cutoff = timezone.now() - timedelta(seconds=stale_after)
    acted = 0
    for scene in SceneRender.objects.filter(state=SceneState.PROCESSING, heartbeat_at__lt=cutoff,
                                            job__state=JobState.PROCESSING).select_related("job"):
        if scene.attempts >= settings.COMPOSER_JOB_MAX_ATTEMPTS:
            _give_up(scene.job, f"the render worker stopped responding {scene.attempts} times on scene "
                                f"{scene.index + 1}; giving up")
            acted += 1
            continue
        requeued = SceneRender.objects.filter(pk=scene.pk, claim_token=scene.claim_token,
                                              state=SceneState.PROCESSING).update(state=SceneState.WAITING,
                                                                                 claim_token="")
        if requeued:
            # The job is being looked after again; the job-level pass below must not dispatch it twice.
            VideoJob.objects.filter(pk=scene.job_id).update(heartbeat_at=timezone.now())
            log.warning("re-queuing scene %s of job %s: worker %s went silent", scene.index, scene.job_id,
                        scene.worker)
            tasks.dispatch_scenes(str(scene.job_id), scene.job.claim_token, [scene.index])
            acted += 1
    # Jobs on MetaStudio nobody has looked at for a while (the message of their next look was lost): look again.
    # Jobs whose sending died mid-way: failed, never sent twice.
    quiet = timezone.now() - timedelta(seconds=stale_after + remote.POLL_MAX_SECONDS)
    for job_id in VideoJob.objects.filter(state=JobState.PROCESSING, stage=Stage.REMOTE, heartbeat_at__lt=quiet) \
            .exclude(remote_job_id="").values_list("pk", flat=True):
        VideoJob.objects.filter(pk=job_id).update(heartbeat_at=timezone.now())
        tasks.follow_remote.delay(str(job_id))
        acted += 1
    acted += remote.fail_interrupted_sends()
    acted += resend_lost_releases(cutoff)
    # Jobs whose scenes wait with nobody working on them (the dispatching worker died), or whose join died (never a
    # job sent to MetaStudio: it is followed above, and rendering it here would render it twice).
    for job in VideoJob.objects.filter(state=JobState.PROCESSING, heartbeat_at__lt=cutoff,
                                       remote_submitted_at__isnull=True, remote_job_id=""):
        scenes = list(job.scenes.all())
        if not scenes:
            restart_unplanned(job)
            acted += 1
            continue
        waiting = [s.index for s in scenes if s.state == SceneState.WAITING]
        if waiting and not any(s.state == SceneState.PROCESSING for s in scenes):
            VideoJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
            tasks.dispatch_scenes(str(job.id), job.claim_token, waiting)
            acted += 1
        elif scenes and all(s.state == SceneState.DONE for s in scenes):
            if job.join_token and job.attempts >= settings.COMPOSER_JOB_MAX_ATTEMPTS:
                _give_up(job, "joining the scenes failed repeatedly; giving up")
            else:
                VideoJob.objects.filter(pk=job.pk, join_token=job.join_token).update(
                    join_token="", heartbeat_at=timezone.now(), attempts=job.attempts + 1)
                tasks.join_job.delay(str(job.id), job.claim_token)
            acted += 1
    return acted


def resend_lost_releases(cutoff) -> int:
    """Batch jobs queued (released) before `cutoff` that no worker has claimed: their start is sent again. The
    process that released them may have died between marking them released and sending their start (a killed
    worker's reaper), which would leave them waiting forever; a start is claimed once, so a copy of a start that
    was not lost, only slow to come, does nothing. Returns how many were sent."""
    lost = list(VideoJob.objects.filter(state=JobState.WAITING, batch__isnull=False, batch_held=False,
                                        remote_submitted_at__isnull=True, heartbeat_at__lt=cutoff)
                .values_list("pk", flat=True))
    sent = 0
    for job_id in lost:
        if VideoJob.objects.filter(pk=job_id, state=JobState.WAITING).update(heartbeat_at=timezone.now()):
            log.warning("sending the start of batch job %s again: no worker claimed it", job_id)
            tasks.start_job.delay(str(job_id))
            sent += 1
    return sent


def restart_unplanned(job: VideoJob) -> None:
    """A job claimed whose worker died before its scenes were planned: started again, or failed at the limit."""
    if job.attempts >= settings.COMPOSER_JOB_MAX_ATTEMPTS:
        _give_up(job, f"the job was started {job.attempts} times and its worker stopped each time before its "
                      "scenes were planned; giving up")
        return
    back = VideoJob.objects.filter(pk=job.pk, state=JobState.PROCESSING, claim_token=job.claim_token).update(
        state=JobState.WAITING, claim_token="", heartbeat_at=timezone.now())
    if back:
        log.warning("starting job %s again: its worker %s stopped while planning it", job.pk, job.worker)
        tasks.start_job.delay(str(job.id))


def resend_if_the_broker_lost_its_queue() -> int:
    """When the Redis broker came back without its data (restarted without persistence), every message queued
    there is gone: the marker this check keeps beside the queue is gone too. Jobs whose start message was lost are
    then sent again (a start is claimed once, so a copy that was not lost does nothing); scenes and joins are found
    again by reap() from the job rows. The marker is set back only once they are sent. Returns how many were sent.
    Nothing to do without a Redis broker: the embedded worker's queue ends with its process (recover_at_startup)."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return 0
    import redis

    marker = f"composer:{settings.CELERY_TASK_DEFAULT_QUEUE}:broker-marker"
    client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
    try:
        if client.exists(marker):
            return 0
        jobs = [str(pk) for pk in VideoJob.objects.filter(state=JobState.WAITING, batch_held=False)
                .values_list("pk", flat=True)]
        for job_id in jobs:
            tasks.start_job.delay(job_id)
        client.set(marker, "1")
    finally:
        client.close()
    if jobs:
        log.warning("the broker lost its queue: %s waiting job(s) sent again", len(jobs))
    return len(jobs)


def recover_at_startup() -> None:
    """Embedded mode owns every job: nothing else can be rendering, so PROCESSING work is stale now."""
    for job in VideoJob.objects.filter(state=JobState.PROCESSING):
        SceneRender.objects.filter(job=job, state=SceneState.PROCESSING).update(
            heartbeat_at=timezone.now() - timedelta(days=1))
        VideoJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(days=1))
    reap(stale_after=0)
    # The in-memory transport does not survive a restart: WAITING jobs lost their messages.
    for job in VideoJob.objects.filter(state=JobState.WAITING, batch_held=False):
        tasks.start_job.delay(str(job.id))
    release_held()


class ReaperThread(threading.Thread):
    def __init__(self, interval: float):
        super().__init__(name="composer-reaper", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                resend_if_the_broker_lost_its_queue()
                reap()
                release_held()
            except Exception:
                log.exception("reaper pass failed")
            finally:
                close_old_connections()
