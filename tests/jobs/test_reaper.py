"""The reaper re-queues renders whose worker went silent, and gives up after the retry limit."""
from __future__ import annotations

import copy
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


def two_scene_body() -> dict:
    body = create_body()
    second = copy.deepcopy(body["shoot_scripts"][0])
    second["sequence_no"] = 1
    body["shoot_scripts"].append(second)
    return body


def test_startup_recovery_requeues_waiting_and_processing_work(alice, project, monkeypatch):
    from composer.jobs.reaper import recover_at_startup

    started, dispatched = [], []
    monkeypatch.setattr("composer.jobs.tasks.start_job.delay", lambda job_id: started.append(job_id))
    monkeypatch.setattr("composer.jobs.tasks.dispatch_scenes",
                        lambda job_id, token, indexes: dispatched.append((job_id, token, list(indexes))))
    waiting = VideoJob.objects.create(project=project, created_by=alice, spec=validate_create_body(create_body()))
    busy = VideoJob.objects.create(project=project, created_by=alice, spec=validate_create_body(two_scene_body()))
    busy = engine.claim_job(busy.pk)
    # Scene 0 finished before the restart; scene 1 was rendering when the process died.
    SceneRender.objects.filter(job=busy, index=0).update(state=SceneState.DONE, result={"frames": 10})
    engine.claim_scene(busy.pk, 1, busy.claim_token)
    done = VideoJob.objects.create(project=project, created_by=alice, spec=validate_create_body(create_body()),
                                   state=JobState.SUCCEED)

    recover_at_startup()

    assert started == [str(waiting.pk)]
    assert dispatched == [(str(busy.pk), busy.claim_token, [1])]
    scenes = {s.index: s for s in SceneRender.objects.filter(job=busy)}
    assert (scenes[0].state, scenes[0].result) == (SceneState.DONE, {"frames": 10})
    assert (scenes[1].state, scenes[1].claim_token, scenes[1].attempts) == (SceneState.WAITING, "", 1)
    rows = {j.pk: j for j in VideoJob.objects.all()}
    assert rows[waiting.pk].state == JobState.WAITING
    assert (rows[busy.pk].state, rows[busy.pk].claim_token) == (JobState.PROCESSING, busy.claim_token)
    # The job's heartbeat is fresh again: the reaper's next pass does not dispatch it a second time.
    assert timezone.now() - rows[busy.pk].heartbeat_at < timedelta(seconds=30)
    assert rows[done.pk].state == JobState.SUCCEED and not SceneRender.objects.filter(job=done).exists()
