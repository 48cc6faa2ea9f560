"""The job body links every file of a finished render: video, cover and both subtitle formats."""
from __future__ import annotations

import pytest

from composer.jobs.models import VideoJob
from composer.jobs.payloads import job_payload
from tests.support.factories import create_body
from tests.support.finished import SRT, VTT, finished_job

pytestmark = pytest.mark.django_db

def test_it_links_the_subtitle_files(client, project):
    output = job_payload(finished_job(project))["output_asset_config"]
    assert client.get(output["subtitle_srt_url"]).getvalue().decode() == SRT
    vtt = client.get(output["subtitle_vtt_url"])
    assert vtt.getvalue().decode() == VTT
    assert client.get(output["preview_video_url"]).status_code == 200
    assert client.get(output["cover_url"]).status_code == 200


def test_it_shows_the_links_in_the_api_as_absolute_urls(alice_client, project):
    job = finished_job(project)
    shown = alice_client.get(f"/v1/{project.id}/2d-digital-human-videos/{job.id}").json()["output_asset_config"]
    assert shown["subtitle_srt_url"].startswith("http://testserver/")
    assert shown["subtitle_vtt_url"].startswith("http://testserver/")


def test_it_has_no_links_before_the_render_or_without_subtitles(project):
    waiting = VideoJob.objects.create(project=project, spec=create_body(), asset_name="Soon")
    output = job_payload(waiting)["output_asset_config"]
    assert output["subtitle_srt_url"] is None and output["subtitle_vtt_url"] is None
    output = job_payload(finished_job(project, subtitles=False))["output_asset_config"]
    assert output["preview_video_url"] and output["subtitle_srt_url"] is None and output["subtitle_vtt_url"] is None
