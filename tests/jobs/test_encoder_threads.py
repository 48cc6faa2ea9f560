"""A worker's encoder thread count (COMPOSER_ENCODER_THREADS) is the one the video was encoded with."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from composer.assets.models import Asset
from composer.jobs.models import JobState, VideoJob
from tests.support.jobs import small_body, submit
from tests.support.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def encoded_with_threads(path: Path) -> set[int]:
    # libx264 writes the options it encoded with into the stream (an SEI message of the first frame).
    return {int(n) for n in re.findall(rb" threads=(\d+)", path.read_bytes())}


@pytest.mark.parametrize("threads", [1, 3])
def test_the_setting_reaches_the_encoder(alice_client, project, embedded_worker, settings, threads):
    settings.COMPOSER_ENCODER_THREADS = threads
    job_id = submit(alice_client, project, small_body(f"Encoded on {threads} threads."))
    done = wait_for(lambda: (job := VideoJob.objects.get(pk=job_id)).is_final and job)
    assert done.state == JobState.SUCCEED, done.error_msg
    video = Path(Asset.objects.get(pk=done.output_asset_id).file.path)
    assert encoded_with_threads(video) == {threads}
