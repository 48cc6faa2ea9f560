"""A batch rendered by the embedded worker: each row becomes its own video, and a batch queues only
COMPOSER_BATCH_PARALLEL of its jobs at a time, so another project's video starts before the rest of the batch."""
from __future__ import annotations

import av
import pytest

from composer.assets.models import Asset
from composer.jobs.models import JobState, VideoJob
from composer.scripts.models import ApprovalRequest, ApprovalState, Script
from composer.teams.models import Membership, Project, Role
from tests.support.factories import template_composition
from tests.support.jobs import small_body, submit
from tests.support.script_api import url
from tests.support.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

CROP = {"clip_mode": "CROP", "width": 320, "height": 180, "dx": 1200, "dy": 100, "bitrate": 1000}


def approved_template(client, project) -> str:
    composition = template_composition(text="<speak>Hi {{first_name}}.</speak>")
    composition["video_config"].update(CROP)
    response = client.post(url(project), {"script_name": "Welcome", **composition}, format="json")
    assert response.status_code == 200, response.content
    script = Script.objects.select_related("head").get(pk=response.json()["script_id"])
    ApprovalRequest.objects.create(script=script, revision=script.head, content_hash=script.head.content_hash,
                                   state=ApprovalState.APPROVED)
    return script.id


def test_a_two_row_batch_renders_two_videos_and_lets_another_project_in_first(
        alice, alice_client, project, embedded_worker, settings):
    settings.COMPOSER_BATCH_PARALLEL = 1
    other = Project.objects.create(name="elsewhere", require_approval=False)
    Membership.objects.create(project=other, user=alice, role=Role.EDITOR)
    script_id = approved_template(alice_client, project)
    response = alice_client.post(f"/v1/{project.id}/video-batches", {"script_id": script_id, "rows": [
        {"first_name": "Ann", "company": "Acme", "logo": "bg-warm-office-landscape"},
        {"first_name": "Bo", "company": "Beta", "logo": "bg-studio-blue-landscape"}]}, format="json")
    assert response.status_code == 200, response.content
    first, second = response.json()["job_ids"]
    single = submit(alice_client, other, small_body("Just one."))

    def final(job_id):
        job = VideoJob.objects.get(pk=job_id)
        return job.is_final and job
    jobs = [wait_for(lambda job_id=job_id: final(job_id), timeout=300) for job_id in (first, second, single)]
    assert [job.state for job in jobs] == [JobState.SUCCEED] * 3, [job.error_msg for job in jobs]
    row_one, row_two, elsewhere = jobs
    # One batch job at a time: the second row was queued only once the first had finished, after the other
    # project's video, which therefore started first.
    assert row_two.start_time >= row_one.end_time
    assert elsewhere.start_time < row_two.start_time
    for job, name in ((row_one, "Welcome Ann"), (row_two, "Welcome Bo")):
        asset = Asset.objects.get(pk=job.output_asset_id, project=project)
        assert asset.name == name
        with av.open(asset.file.path) as container:
            video = container.streams.video[0]
            assert (video.codec_context.width, video.codec_context.height) == (320, 180)
            assert container.streams.audio
            assert sum(1 for _ in container.decode(video=0)) == job.frames_total > 0
    shown = alice_client.get(f"/v1/{project.id}/video-batches/{response.json()['batch_id']}").json()
    assert shown["counts"]["SUCCEED"] == 2
