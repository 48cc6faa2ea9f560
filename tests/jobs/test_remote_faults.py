"""A flaky MetaStudio account, with faults put between our client and the stand-in: a create whose answer is
lost is found by its tag and followed (never made twice), refused credentials mark the connection failing, busy
and failing answers are retried, and a remote job that never finishes fails after the remote deadline."""
from __future__ import annotations

import pytest

from composer.assets.models import Asset
from composer.jobs.models import JobState, Stage, VideoJob
from composer.jobs.remote import fail_interrupted_sends, poll_remote, remote_tag, submit_remote
from composer.spec.errors import ERROR_REMOTE
from composer.teams.render_target import set_render_target
from tests.support.factories import create_body
from tests.support.remote_faults import FaultyTransport, faulty_client_for

pytestmark = pytest.mark.django_db
CREATE = ("POST", "/2d-digital-human-videos")
SHOW = ("GET", "")          # any read


@pytest.fixture
def remote_project(standin, remote_allowed, charlie, other_project, settings):
    settings.COMPOSER_REMOTE_FIND_WAIT_SECONDS = 0
    set_render_target(other_project, {"kind": "metastudio", "endpoint": standin.base, "ak": standin.ak,
                                      "sk": standin.sk, "remote_project_id": standin.project_id}, by=charlie)
    return other_project


def faults(monkeypatch, **rules) -> FaultyTransport:
    transport = FaultyTransport({CREATE if name == "create" else SHOW: queue for name, queue in rules.items()})
    monkeypatch.setattr("composer.jobs.remote.client_for", faulty_client_for(transport))
    return transport


def new_job(project, user, name="Lost answer") -> VideoJob:
    body = create_body(output_asset_config={"asset_name": name})
    return VideoJob.objects.create(project=project, created_by=user, spec=body, asset_name=name)


def tagged(standin, job) -> list[dict]:
    listed = standin.api("GET", "/digital-human-videos", params={"limit": 100, "asset_name": remote_tag(job.id)})
    return listed.json()["jobs"]


def test_a_lost_create_answer_is_found_by_its_tag_and_followed(standin, remote_project, charlie, monkeypatch):
    transport = faults(monkeypatch, create=["lose"])
    job = new_job(remote_project, charlie)

    sent, did_send = submit_remote(job.id)
    assert did_send and sent.state == JobState.PROCESSING and sent.stage == Stage.REMOTE
    there = tagged(standin, job)
    assert [made["job_id"] for made in there] == [sent.remote_job_id]          # made once, and it is ours
    assert there[0]["output_asset_config"]["asset_name"] == f"Lost answer {remote_tag(job.id)}"
    assert [call[2] for call in transport.seen if call[0] == "POST"] == ["lose"]   # never sent again
    assert submit_remote(job.id)[1] is False

    standin.settle(sent.remote_job_id, "SUCCEED")
    assert poll_remote(job.id) is None
    job.refresh_from_db()
    assert job.state == JobState.SUCCEED and Asset.objects.get(pk=job.output_asset_id).name == "Lost answer"
    assert len(tagged(standin, job)) == 1


def test_a_lost_create_that_made_nothing_fails_after_a_bounded_search(standin, remote_project, charlie,
                                                                      monkeypatch, settings):
    settings.COMPOSER_REMOTE_FIND_ATTEMPTS = 2
    transport = faults(monkeypatch, create=[503])     # answered here: nothing reached the stand-in
    job = new_job(remote_project, charlie)
    failed, _ = submit_remote(job.id)
    assert failed.state == JobState.FAILED and failed.error_code == ERROR_REMOTE
    assert failed.error_msg.startswith("MetaStudio did not confirm the job (MetaStudio at ")
    assert f"no job tagged {remote_tag(job.id)} was found on the account after 2 looks" in failed.error_msg
    assert tagged(standin, job) == []
    assert [c for c in transport.seen if c[0] == "POST"] == [("POST", f"/v1/{standin.project_id}"
                                                                      "/2d-digital-human-videos", 503)]
    assert len([c for c in transport.seen if c[0] == "GET"]) == 2


def test_a_send_that_died_midway_follows_the_job_it_made(standin, remote_project, charlie):
    from datetime import timedelta

    from django.utils import timezone

    from composer.jobs.remote import remote_body

    job = new_job(remote_project, charlie, "Died midway")
    # The sender reached the account, then died: the job is marked sent long ago and has no remote id.
    remote_id = standin.api("POST", "/2d-digital-human-videos", json=remote_body(job)).json()["job_id"]
    VideoJob.objects.filter(pk=job.id).update(stage=Stage.REMOTE,
                                              remote_submitted_at=timezone.now() - timedelta(minutes=11))
    assert fail_interrupted_sends() == 1
    job.refresh_from_db()
    assert job.state == JobState.PROCESSING and job.remote_job_id == remote_id
    assert len(tagged(standin, job)) == 1


def test_refused_credentials_fail_the_job_and_mark_the_connection_failing(standin, remote_project, charlie,
                                                                         charlie_client):
    set_render_target(remote_project, {"kind": "metastudio", "sk": "wrong", "ak": standin.ak}, by=charlie)
    failed, _ = submit_remote(new_job(remote_project, charlie).id)
    assert failed.state == JobState.FAILED and failed.error_code == ERROR_REMOTE
    assert failed.error_msg.startswith("MetaStudio refused the credentials")
    shown = charlie_client.get(f"/v1/{remote_project.id}/project-settings").json()["render_target"]["connection"]
    assert shown["status"] == "failing" and shown["detail"].startswith("MetaStudio refused the credentials")


def test_a_busy_create_is_retried_and_made_once(standin, remote_project, charlie, monkeypatch, settings):
    settings.COMPOSER_REMOTE_MAX_RETRIES = 1
    transport = faults(monkeypatch, create=[429])
    job = new_job(remote_project, charlie, "Busy")
    sent, _ = submit_remote(job.id)
    assert sent.state == JobState.PROCESSING and sent.remote_job_id
    assert [c[2] for c in transport.seen if c[0] == "POST"] == [429, 200]
    assert [made["job_id"] for made in tagged(standin, job)] == [sent.remote_job_id]


def test_a_failing_read_is_retried(standin, remote_project, charlie, monkeypatch, settings):
    job = new_job(remote_project, charlie, "Flaky reads")
    sent, _ = submit_remote(job.id)
    standin.settle(sent.remote_job_id, "SUCCEED")
    settings.COMPOSER_REMOTE_MAX_RETRIES = 1
    transport = faults(monkeypatch, show=[500])
    assert poll_remote(job.id) is None
    job.refresh_from_db()
    assert job.state == JobState.SUCCEED
    assert [c[2] for c in transport.seen] == [500, 200]


def test_a_remote_job_that_never_finishes_fails_after_the_remote_deadline(standin, remote_project, charlie,
                                                                         settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.COMPOSER_REMOTE_MAX_SECONDS = 600
    job = new_job(remote_project, charlie, "Never ends")
    sent, _ = submit_remote(job.id)
    assert poll_remote(job.id) is not None
    VideoJob.objects.filter(pk=job.pk).update(start_time=timezone.now() - timedelta(seconds=601))
    assert poll_remote(job.id) is None
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error_code == ERROR_REMOTE
    assert job.error_msg == ("MetaStudio did not finish the job within 600 s (COMPOSER_REMOTE_MAX_SECONDS); it was "
                             "canceled there")
    assert standin.api("GET", f"/2d-digital-human-videos/{sent.remote_job_id}").json()["state"] == "CANCELED"


def test_a_worker_that_died_while_polling_is_replaced_by_the_reaper(standin, remote_project, charlie, monkeypatch,
                                                                   settings):
    from datetime import timedelta

    from django.utils import timezone

    from composer.jobs.reaper import reap

    looks = []
    monkeypatch.setattr("composer.jobs.tasks.follow_remote.delay", looks.append)
    settings.COMPOSER_STALE_AFTER_SECONDS = 60
    job = new_job(remote_project, charlie, "Orphaned")
    sent, _ = submit_remote(job.id)
    assert poll_remote(job.id) is not None
    # The worker that would look next died: nobody looks, the heartbeat goes quiet.
    VideoJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=150))
    standin.settle(sent.remote_job_id, "SUCCEED")
    assert reap() == 1 and looks == [str(job.pk)]
    assert poll_remote(looks[0]) is None                             # the look the reaper queued
    job.refresh_from_db()
    assert job.state == JobState.SUCCEED and job.remote_job_id == sent.remote_job_id
    assert len(tagged(standin, job)) == 1
