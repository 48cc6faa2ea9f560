"""Attempts across restarts: a worker that dies counts one, a stop that hands the scene back counts none, and a
job whose worker keeps dying fails with its reason instead of being resumed forever."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from composer.jobs import engine, stopping
from composer.jobs.models import JobState, SceneRender, SceneState, VideoJob
from composer.jobs.reaper import recover_at_startup
from composer.spec import validate_create_body
from tests.support.factories import create_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    sent = {"started": [], "dispatched": []}
    monkeypatch.setattr("composer.jobs.tasks.start_job.delay", lambda job_id: sent["started"].append(job_id))
    monkeypatch.setattr("composer.jobs.tasks.dispatch_scenes",
                        lambda job_id, token, indexes: sent["dispatched"].append(list(indexes)))
    return sent


@pytest.fixture
def job(alice, project):
    return VideoJob.objects.create(project=project, created_by=alice, spec=validate_create_body(create_body()))


def restart() -> None:
    """What a web process with the embedded worker does when it starts again after dying."""
    recover_at_startup()


def test_a_scene_whose_worker_dies_every_time_fails_after_the_attempts(job, sent, settings):
    settings.COMPOSER_JOB_MAX_ATTEMPTS = 3
    job = engine.claim_job(job.pk)
    for attempt in range(1, 4):
        assert engine.claim_scene(job.pk, 0, job.claim_token) is not None    # ... and the process dies
        restart()
        state = VideoJob.objects.get(pk=job.pk)
        if attempt < 3:
            assert state.state == JobState.PROCESSING and sent["dispatched"][-1] == [0]
            assert SceneRender.objects.get(job=job).attempts == attempt
    failed = VideoJob.objects.get(pk=job.pk)
    assert failed.state == JobState.FAILED and failed.error_code
    assert "stopped responding 3 times on scene 1" in failed.error_msg


def test_a_job_whose_worker_dies_while_planning_is_started_again_then_failed(job, sent, settings):
    settings.COMPOSER_JOB_MAX_ATTEMPTS = 2
    for attempt in (1, 2):
        claimed = engine.claim_job(job.pk)
        assert claimed.attempts == attempt
        # The worker died after the claim committed and before the scenes' plan did.
        SceneRender.objects.filter(job=job).delete()
        restart()
    assert sent["started"].count(str(job.pk)) >= 1
    failed = VideoJob.objects.get(pk=job.pk)
    assert failed.state == JobState.FAILED
    assert "started 2 times" in failed.error_msg and "before its scenes were planned" in failed.error_msg


def test_a_stopping_worker_hands_its_scene_back_without_using_an_attempt(job, monkeypatch):
    job = engine.claim_job(job.pk)
    _, scene, token = engine.claim_scene(job.pk, 0, job.claim_token)
    assert engine.release_scene(scene.pk, token)
    scene.refresh_from_db()
    assert (scene.state, scene.claim_token, scene.attempts, scene.frames_done) == (SceneState.WAITING, "", 0, 0)
    # Only the claim holder hands a scene back.
    assert not engine.release_scene(scene.pk, token)
    # Once the process is stopping it claims nothing more: the scene waits for another worker.
    monkeypatch.setattr(stopping, "_requested", type(stopping._requested)())
    stopping.request_stop()
    assert engine.render_scene(job.pk, 0, job.claim_token) is False
    assert SceneRender.objects.get(job=job).state == SceneState.WAITING


def test_a_stop_requested_mid_render_releases_the_scene(job, monkeypatch):
    """The render's own stop check (between frames) sees the stop: the scene is handed back, nothing stored."""
    job = engine.claim_job(job.pk)
    released = []
    monkeypatch.setattr(stopping, "_requested", type(stopping._requested)())

    def render_until_stopped(spec, index, resolver, path, on_progress, *, should_cancel, encoder_threads):
        from composer.render import RenderCancelled

        assert not should_cancel()
        stopping.request_stop()
        assert should_cancel()
        raise RenderCancelled()

    monkeypatch.setattr("composer.render.render_scene", render_until_stopped)
    assert engine.render_scene(job.pk, 0, job.claim_token, on_released=lambda: released.append(True)) is False
    assert released == [True]
    scene = SceneRender.objects.get(job=job)
    assert (scene.state, scene.attempts) == (SceneState.WAITING, 0)
    assert VideoJob.objects.get(pk=job.pk).state == JobState.PROCESSING
    assert stopping.stop_and_wait(timeout=1)     # nothing is rendering any more
    assert timezone.now() - scene.heartbeat_at < timedelta(seconds=30)


def test_by_default_a_scene_whose_worker_dies_twice_fails(job, sent):
    """A render that takes its process down is tried once more after a restart, not forever."""
    job = engine.claim_job(job.pk)
    for _ in range(2):
        assert engine.claim_scene(job.pk, 0, job.claim_token) is not None    # ... and the process dies
        restart()
    failed = VideoJob.objects.get(pk=job.pk)
    assert failed.state == JobState.FAILED
    assert "stopped responding 2 times on scene 1" in failed.error_msg
