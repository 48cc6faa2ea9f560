"""The projects page: sign-in required, only the user's projects, their jobs with state and progress."""
from __future__ import annotations

import pytest

from composer.jobs.models import JobState, VideoJob

pytestmark = pytest.mark.django_db


def test_signing_in_is_required(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login")


def test_the_login_page_explains_a_wrong_password(client, alice):
    response = client.post("/login", {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert b"didn't match" in response.content


def test_members_see_their_projects_and_jobs_only(client, alice, project, other_project):
    VideoJob.objects.create(project=project, created_by=alice, spec={}, asset_name="Spring launch <b>",
                            state=JobState.PROCESSING, percent=42.0)
    VideoJob.objects.create(project=other_project, spec={}, asset_name="Charlie's secret")
    client.force_login(alice)
    page = client.get("/").content.decode()
    assert "launch" in page and project.id in page
    assert "Spring launch \\u003Cb\\u003E" in page  # page data is escaped JSON; the table is built from text
    assert '"percent": 42.0' in page
    assert "Charlie" not in page and other_project.id not in page
