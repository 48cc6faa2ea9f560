"""Video tags and the videos list's filters (services)."""
from __future__ import annotations

import pytest

from composer.errors import InvalidInput
from composer.jobs import services
from composer.jobs.payloads import job_payload
from composer.teams.models import AuditEntry
from tests.support.finished import days_ago, finished_video

pytestmark = pytest.mark.django_db


def test_it_tags_a_video_and_filters_by_tag(project, alice):
    spring, other = finished_video(project, alice, "Spring sale"), finished_video(project, alice, "Other")
    assert services.set_job_tags(spring, ["Social", "social", "Q2"], user=alice) == ["Social", "Q2"]
    assert job_payload(spring)["tags"] == ["Social", "Q2"]
    assert job_payload(other)["tags"] == []
    assert [j.asset_name for j in services.list_jobs(project, tag="SOCIAL")] == ["Spring sale"]
    assert services.project_video_tags(project) == ["Q2", "Social"]
    assert AuditEntry.objects.get(action="job.tag").detail == {"tags": ["Social", "Q2"]}


def test_it_refuses_bad_tags(project, alice):
    job = finished_video(project, alice)
    services.set_job_tags(job, ["Keep"], user=alice)
    with pytest.raises(InvalidInput, match=r"^tags: at most 10 tags"):
        services.set_job_tags(job, [str(i) for i in range(11)], user=alice)
    assert job_payload(job)["tags"] == ["Keep"]


def test_it_filters_by_name_and_creation_date(project, alice):
    finished_video(project, alice, "Old spring", created=days_ago(40))
    finished_video(project, alice, "Recent spring", created=days_ago(3))
    finished_video(project, alice, "Recent autumn", created=days_ago(2))
    found = services.list_jobs(project, asset_name="spring", create_since=days_ago(10), sort_dir="desc")
    assert [j.asset_name for j in found] == ["Recent spring"]
    found = services.list_jobs(project, create_since=days_ago(50), create_until=days_ago(30))
    assert [j.asset_name for j in found] == ["Old spring"]
