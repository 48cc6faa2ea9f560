"""A batch queues COMPOSER_BATCH_PARALLEL of its jobs at a time, rows in order; the next goes when one ends, and
canceled or already-queued jobs are never queued again; a queued job whose start message was lost is sent again."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from composer.jobs import batches, reaper
from composer.jobs.models import JobState, VideoBatch, VideoJob
from tests.support.factories import create_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch) -> list[str]:
    """The job ids handed to the queue, in order."""
    sent: list[str] = []
    monkeypatch.setattr(batches.start_job, "delay", sent.append)
    return sent


def held_batch(project, user, rows: int) -> tuple[VideoBatch, list[VideoJob]]:
    batch = VideoBatch.objects.create(project=project, script_id="s", script_revision_id="r", revision=1,
                                      rows=[{"row": n + 1, "values": {}, "output_name": None} for n in range(rows)])
    jobs = [VideoJob.objects.create(project=project, created_by=user, spec=create_body(), batch=batch, batch_row=n,
                                    batch_held=True) for n in range(rows)]
    return batch, jobs


def test_a_batch_queues_a_few_jobs_at_a_time_in_row_order(project, alice, settings, queued):
    settings.COMPOSER_BATCH_PARALLEL = 2
    batch, jobs = held_batch(project, alice, 5)
    ids = [str(job.id) for job in jobs]
    assert batches.release_held() == 2 and queued == ids[:2]
    assert batches.release_held() == 0 and queued == ids[:2]
    VideoJob.objects.filter(pk=jobs[0].pk).update(state=JobState.SUCCEED)
    assert batches.release_held(batch.pk) == 1 and queued == ids[:3]
    assert batches.cancel_batch(batch, user=alice) == 4
    assert batches.release_held() == 0 and queued == ids[:3]
    assert not VideoJob.objects.filter(batch=batch, state=JobState.WAITING).exists()


def test_two_batches_each_get_their_own_places(project, alice, settings, queued):
    settings.COMPOSER_BATCH_PARALLEL = 1
    _, first = held_batch(project, alice, 3)
    _, second = held_batch(project, alice, 3)
    assert batches.release_held() == 2
    assert set(queued) == {str(first[0].id), str(second[0].id)}


def test_a_job_that_ends_queues_the_batchs_next_at_once(project, alice, settings, queued):
    from composer.jobs.tasks import next_in_batch

    settings.COMPOSER_BATCH_PARALLEL = 1
    _, jobs = held_batch(project, alice, 3)
    assert batches.release_held() == 1
    next_in_batch(str(jobs[0].id))  # still rendering: its place is not free
    assert queued == [str(jobs[0].id)]
    VideoJob.objects.filter(pk=jobs[0].pk).update(state=JobState.FAILED)
    next_in_batch(str(jobs[0].id))
    assert queued == [str(jobs[0].id), str(jobs[1].id)]
    lone = VideoJob.objects.create(project=project, created_by=alice, spec=create_body(), state=JobState.SUCCEED)
    next_in_batch(str(lone.id))  # not a batch's: nothing to queue
    assert len(queued) == 2


def test_a_queued_job_whose_start_was_lost_is_sent_again_by_the_reaper(project, alice, settings, queued):
    settings.COMPOSER_BATCH_PARALLEL = 2
    settings.COMPOSER_STALE_AFTER_SECONDS = 60
    _, jobs = held_batch(project, alice, 3)
    ids = [str(job.id) for job in jobs]
    assert batches.release_held() == 2
    queued.clear()          # the releasing process was killed before the starts left: they never reached the queue
    assert reaper.reap() == 0 and queued == []     # queued moments ago: its start may only be slow to come
    assert reaper.reap(stale_after=-1) == 2 and sorted(queued) == sorted(ids[:2])
    # Claimed since: never sent again; the held row stays held (release_held's turn, not the reaper's).
    VideoJob.objects.filter(pk=jobs[0].pk).update(state=JobState.PROCESSING)
    queued.clear()
    VideoJob.objects.filter(pk=jobs[1].pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert reaper.resend_lost_releases(timezone.now() + timedelta(seconds=1)) == 1 and queued == ids[1:2]
