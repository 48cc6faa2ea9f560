"""The reaper re-queues renders whose worker went silent, and gives up after the retry limit."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from composer.jobs import engine
from composer.jobs.models import JobState, SceneRender, SceneState, VideoJob
from composer.jobs.reaper import reap
from composer.spec import validate_create_body
from tests.support.factories import create_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(alice, project, monkeypatch):
    dispatched = []
    monkeypatch.setattr("composer.jobs.tasks.dispatch_scenes",
                        lambda job_id, token, indexes: dispatched.append((job_id, token, list(indexes))))
    job = VideoJob.objects.create(project=project, created_by=alice, spec=validate_create_body(create_body()))
    job = engine.claim_job(job.pk)
    claimed = engine.claim_scene(job.pk, 0, job.claim_token)
    assert claimed is not None
    return job, dispatched


def go_silent(job):
    old = timezone.now() - timedelta(minutes=10)
    SceneRender.objects.filter(job=job).update(heartbeat_at=old)
    VideoJob.objects.filter(pk=job.pk).update(heartbeat_at=old)


def test_a_silent_scene_is_requeued(running, settings):
    job, dispatched = running
    settings.COMPOSER_STALE_AFTER_SECONDS = 60
    assert reap() == 0  # still fresh
    go_silent(job)
    assert reap() >= 1
    scene = SceneRender.objects.get(job=job)
    assert scene.state == SceneState.WAITING and scene.claim_token == ""
    assert dispatched[0][0] == str(job.pk) and dispatched[0][2] == [0]
    # The worker that went silent can no longer finish: its claim is gone.
    assert VideoJob.objects.get(pk=job.pk).state == JobState.PROCESSING


def test_after_the_retry_limit_the_job_fails_with_a_reason(running, settings):
    job, _ = running
    settings.COMPOSER_JOB_MAX_ATTEMPTS = 1
    go_silent(job)
    reap()
    failed = VideoJob.objects.get(pk=job.pk)
    assert failed.state == JobState.FAILED
    assert "stopped responding" in failed.error_msg and failed.error_code


def test_startup_recovery_requeues_waiting_and_processing_work(alice, project, monkeypatch):
    from composer.jobs.reaper import recover_at_startup

    started, dispatched = [], []
    monkeypatch.setattr("composer.jobs.tasks.start_job.delay", lambda job_id: started.append(job_id))
    monkeypatch.setattr("composer.jobs.tasks.dispatch_scenes",
                        lambda job_id, token, indexes: dispatched.append(list(indexes)))
    waiting = VideoJob.objects.create(project=project, created_by=alice, spec=validate_create_body(create_body()))
    busy = VideoJob.objects.create(project=project, created_by=alice, spec=validate_create_body(create_body()))
    busy = engine.claim_job(busy.pk)
    engine.claim_scene(busy.pk, 0, busy.claim_token)
    recover_at_startup()
    assert str(waiting.pk) in started
    assert dispatched == [[0]]
