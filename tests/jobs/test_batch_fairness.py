"""A batch queues COMPOSER_BATCH_PARALLEL of its jobs at a time, rows in order; the next goes when one ends, and
canceled or already-queued jobs are never queued again."""
from __future__ import annotations

import pytest

from composer.jobs import batches
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
