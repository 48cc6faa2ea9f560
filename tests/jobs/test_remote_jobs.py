"""A job of a project that renders on MetaStudio, against a second Composer server standing in for it: the
approved body is sent once (a second submit sends nothing), the remote job is followed with growing waits, and
its finished video comes home as the job's output asset; a failure or a refusal there fails the job saying why.
(Wiring these steps into job submission and the queue is the next step.)"""
from __future__ import annotations

import av
import pytest

from composer.assets.models import Asset
from composer.jobs.models import JobState, Stage, VideoJob
from composer.jobs.remote import poll_remote, remote_body, submit_remote
from composer.jobs.services import cancel_job
from composer.lib import fetch
from composer.metastudio.client import MetaStudioClient
from composer.spec.errors import ERROR_REMOTE
from composer.teams.render_target import REGIONS, may_download, set_render_target
from tests.support.factories import create_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def remote_project(standin, remote_allowed, charlie, other_project):
    set_render_target(other_project, {"kind": "metastudio", "endpoint": standin.base, "ak": standin.ak,
                                      "sk": standin.sk, "remote_project_id": standin.project_id}, by=charlie)
    return other_project


def new_job(project, user, **overrides) -> VideoJob:
    body = create_body(**overrides)
    return VideoJob.objects.create(project=project, created_by=user, spec=body,
                                   asset_name=body["output_asset_config"]["asset_name"])


def imported_maya(project) -> Asset:
    """The stand-in's Maya, as a sync imports her: an avatar that renders on the account only."""
    return Asset.objects.create(project=project, name="Maya", asset_type="HUMAN_MODEL_2D", state="ACTIVED",
                                source="metastudio", remote_asset_id="avatar-maya")


def remote_jobs(standin) -> int:
    return standin.api("GET", "/digital-human-videos", params={"limit": 1}).json()["count"]


def test_a_job_is_sent_once_followed_and_brought_home(standin, remote_project, charlie):
    imported = imported_maya(remote_project)
    job = new_job(remote_project, charlie, model_asset_id=imported.id,
                  output_asset_config={"asset_name": "Sent to MetaStudio"})
    assert remote_body(job)["model_asset_id"] == "avatar-maya"
    before = remote_jobs(standin)

    sent, did_send = submit_remote(job.id)
    assert did_send and sent.state == JobState.PROCESSING and sent.stage == Stage.REMOTE and sent.remote_job_id
    again, sent_again = submit_remote(job.id)
    assert not sent_again and again.remote_job_id == sent.remote_job_id
    assert remote_jobs(standin) == before + 1                       # sent once, whatever the repeats
    there = standin.api("GET", f"/2d-digital-human-videos/{sent.remote_job_id}").json()
    assert there["output_asset_config"]["asset_name"] == f"Sent to MetaStudio [composer {job.id}]"   # tagged

    assert poll_remote(job.id) == 5.0
    assert poll_remote(job.id) == 10.0                               # the waits grow
    job.refresh_from_db()
    assert job.state == JobState.PROCESSING and job.stage == Stage.REMOTE and job.remote_polls == 2

    standin.settle(sent.remote_job_id, "SUCCEED")
    assert poll_remote(job.id) is None
    job.refresh_from_db()
    assert job.state == JobState.SUCCEED and job.stage == Stage.DONE and job.duration == 2.0
    output = Asset.objects.get(pk=job.output_asset_id)
    assert output.asset_type == "VIDEO" and output.name == "Sent to MetaStudio" and output.cover
    assert output.meta["remote_job_id"] == sent.remote_job_id
    with av.open(output.file.path) as container:
        assert sum(1 for _ in container.decode(video=0)) == 50
    assert poll_remote(job.id) is None                               # final: nothing more to do


def test_a_failure_there_fails_the_job_saying_why(standin, remote_project, charlie):
    job = new_job(remote_project, charlie)
    sent, _ = submit_remote(job.id)
    standin.settle(sent.remote_job_id, "FAILED", "MSS.00000004", "The render failed: out of cheese")
    assert poll_remote(job.id) is None
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error_code == ERROR_REMOTE
    assert job.error_msg == "MetaStudio could not render the video: MSS.00000004 The render failed: out of cheese"


def test_a_body_the_remote_refuses_fails_the_job_with_its_words(standin, remote_project, charlie):
    job = new_job(remote_project, charlie, model_asset_id="no-such-avatar")
    before = remote_jobs(standin)
    failed, _ = submit_remote(job.id)
    assert failed.state == JobState.FAILED and failed.error_code == ERROR_REMOTE
    assert failed.error_msg.startswith("MetaStudio refused the job: MSS.00000003 model_asset_id: ")
    assert remote_jobs(standin) == before
    assert submit_remote(job.id) == (failed, False)                 # never sent again


def test_refused_credentials_fail_the_job(standin, remote_project, charlie):
    set_render_target(remote_project, {"kind": "metastudio", "sk": "wrong", "ak": standin.ak}, by=charlie)
    failed, _ = submit_remote(new_job(remote_project, charlie).id)
    assert failed.state == JobState.FAILED
    assert failed.error_msg.startswith("MetaStudio refused the credentials")


def test_a_send_that_died_midway_is_failed_and_never_sent_again(charlie, other_project):
    from datetime import timedelta

    from django.utils import timezone

    from composer.jobs.remote import fail_interrupted_sends

    job = new_job(other_project, charlie)
    VideoJob.objects.filter(pk=job.pk).update(stage=Stage.REMOTE,
                                              remote_submitted_at=timezone.now() - timedelta(minutes=11))
    assert fail_interrupted_sends() == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error_msg.startswith("Sending the job to MetaStudio was interrupted")
    assert submit_remote(job.id)[1] is False


def test_the_reaper_follows_a_remote_job_nobody_looked_at(charlie, other_project, monkeypatch, settings):
    from datetime import timedelta

    from django.utils import timezone

    from composer.jobs.reaper import reap

    followed = []
    monkeypatch.setattr("composer.jobs.tasks.follow_remote.delay", followed.append)
    settings.COMPOSER_STALE_AFTER_SECONDS = 60
    job = new_job(other_project, charlie)
    VideoJob.objects.filter(pk=job.pk).update(state=JobState.PROCESSING, stage=Stage.REMOTE, remote_job_id="r1",
                                              heartbeat_at=timezone.now() - timedelta(seconds=90))
    assert reap() == 0 and followed == []                           # a look may still be on its way
    VideoJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=150))
    assert reap() == 1 and followed == [str(job.pk)]
    assert reap() == 0                                               # looked at now: not queued twice


def test_the_job_page_shows_the_stages_of_a_remote_job(client, charlie, other_project):
    from tests.support.pages import page_data

    job = new_job(other_project, charlie)
    client.force_login(charlie)
    local = page_data(client.get(f"/p/{other_project.id}/videos/{job.id}"))
    assert "remote" not in [s["value"] for s in local["stages"]]
    VideoJob.objects.filter(pk=job.pk).update(stage=Stage.REMOTE)
    remote = page_data(client.get(f"/p/{other_project.id}/videos/{job.id}"))
    assert [(s["value"], s["label"]) for s in remote["stages"]] == [
        ("queued", "Queued"), ("remote", "On MetaStudio"), ("done", "Done")]


def test_a_finished_video_is_fetched_only_from_the_accounts_download_hosts(standin, remote_project, charlie,
                                                                              monkeypatch):
    """A link to any other host is refused before anything is fetched, and the job fails saying so."""
    imported = imported_maya(remote_project)
    sent, _ = submit_remote(new_job(remote_project, charlie, model_asset_id=imported.id).id)
    standin.settle(sent.remote_job_id, "SUCCEED")
    fetched = []
    monkeypatch.setattr(fetch, "download", lambda url, target, **kw: fetched.append(url))
    show = MetaStudioClient.show_video

    def elsewhere(self, job_id):
        shown = show(self, job_id)
        shown["output_asset_config"]["preview_video_url"] = "https://downloads.example.net/video.mp4"
        return shown

    monkeypatch.setattr(MetaStudioClient, "show_video", elsewhere)
    assert poll_remote(sent.id) is None
    job = VideoJob.objects.get(pk=sent.id)
    assert job.state == JobState.FAILED and fetched == []
    assert "not on the account's download hosts" in job.error_msg and "127.0.0.1" in job.error_msg


@pytest.mark.parametrize(("url", "allowed"), [
    ("https://bucket.obs.cn-north-4.myhuaweicloud.com/v.mp4", True),
    ("https://metastudio.cn-north-4.myhuaweicloud.com/v.mp4", True),
    ("https://myhuaweicloud.com.evil.example/v.mp4", False),
    ("https://evilmyhuaweicloud.com/v.mp4", False),
    ("https://cdn.example.org/v.mp4", False),
])
def test_a_regions_downloads_come_from_huawei_clouds_storage(url, allowed):
    assert may_download(url, REGIONS["cn-north-4"]) is allowed


def test_operators_add_download_hosts(settings):
    settings.COMPOSER_REMOTE_DOWNLOAD_HOSTS = "cdn.example.org, .media.example.com"
    endpoint = "https://metastudio.example.com"
    assert may_download("https://cdn.example.org/v.mp4", endpoint)
    assert may_download("https://eu.media.example.com/v.mp4", endpoint)
    assert not may_download("https://other.example.com/v.mp4", endpoint)
    assert may_download("https://metastudio.example.com/v.mp4", endpoint)


def test_a_cancel_metastudio_does_not_take_is_said_on_the_job(standin, remote_project, charlie):
    """MetaStudio cancels waiting jobs only: when it refuses, the job here is canceled and says it may still
    finish there."""
    imported = imported_maya(remote_project)
    sent, _ = submit_remote(new_job(remote_project, charlie, model_asset_id=imported.id).id)
    standin.settle(sent.remote_job_id, "SUCCEED")            # too late to cancel there
    cancel_job(sent, user=charlie)
    assert poll_remote(sent.id) is None
    job = VideoJob.objects.get(pk=sent.id)
    assert job.state == JobState.CANCELED
    assert "MetaStudio did not cancel it there" in job.error_msg and sent.remote_job_id in job.error_msg
