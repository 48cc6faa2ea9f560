"""Share-link and tag endpoints, the public shared page, and the lists' search filters (API wiring)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from composer.jobs.models import ShareLink
from composer.teams.models import AuditEntry
from tests.support.factories import create_composition
from tests.support.finished import finished_video
from tests.support.users import token_client

pytestmark = pytest.mark.django_db


def links_url(project, job):
    return f"/v1/{project.id}/2d-digital-human-videos/{job.pk}/share-links"


def test_it_creates_lists_and_revokes_a_link_and_the_page_follows(alice_client, project, alice):
    job = finished_video(project, alice)
    created = alice_client.post(links_url(project, job), {"expires_in_days": 7, "label": "Agency"}, format="json")
    assert created.status_code == 201, created.content
    link = created.json()
    assert link["state"] == "ACTIVE" and link["url"].startswith("http://testserver/s/")
    public = Client()
    page = public.get(link["url"])
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex, nofollow"
    html = page.content.decode()
    assert "Spring sale" in html and 'name="robots" content="noindex' in html and f"/p/{project.id}" not in html
    download = public.get(link["url"].removeprefix("http://testserver") + "/cover?download=1")
    assert download["Content-Disposition"].endswith('filename="Spring sale cover.jpg"')
    viewed = AuditEntry.objects.get(action="job.share_view")
    assert viewed.detail["who"] == "shared link Agency" and viewed.user is None
    listed = alice_client.get(links_url(project, job)).json()
    assert listed["count"] == 1 and listed["share_links"][0]["view_count"] == 1
    revoked = alice_client.post(f"{links_url(project, job)}/{link['link_id']}/revoke")
    assert revoked.json()["state"] == "REVOKED"
    gone = public.get(link["url"])
    assert gone.status_code == 410 and "no longer available" in gone.content.decode()
    assert public.get(link["url"].removeprefix("http://testserver") + "/file").status_code == 404


def test_an_expired_link_shows_the_styled_page(alice_client, project, alice):
    job = finished_video(project, alice)
    link = alice_client.post(links_url(project, job), {"expires_in_days": 1}, format="json").json()
    ShareLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    page = Client().get(link["url"])
    assert page.status_code == 410 and "The share link has expired" in page.content.decode()
    assert Client().get("/s/never-issued").status_code == 404


def test_refusals_use_the_error_body(alice_client, bob_client, project, other_project, alice, charlie):
    job = finished_video(project, alice)
    bad = alice_client.post(links_url(project, job), {"expires_in_days": 3}, format="json")
    assert bad.status_code == 400 and bad.json()["error_msg"].startswith("expires_in_days: must be 1, 7 or 30")
    foreign = finished_video(other_project, charlie)
    assert alice_client.get(links_url(project, foreign)).status_code == 404
    assert token_client(charlie).get(links_url(project, job)).status_code == 403


def test_tags_and_search_filters(alice_client, project, alice):
    job = finished_video(project, alice)
    tags = alice_client.put(f"/v1/{project.id}/2d-digital-human-videos/{job.pk}/tags", {"tags": ["Q2", "x" * 33]},
                            format="json")
    assert tags.status_code == 400 and tags.json()["error_msg"].startswith("tags[1]: a tag has at most 32")
    alice_client.put(f"/v1/{project.id}/2d-digital-human-videos/{job.pk}/tags", {"tags": ["Q2"]}, format="json")
    listed = alice_client.get(f"/v1/{project.id}/digital-human-videos?tag=q2").json()
    assert [j["tags"] for j in listed["jobs"]] == [["Q2"]]
    alice_client.post(f"/v1/{project.id}/digital-human-video-scripts",
                      {"script_name": "Promo", "tags": ["Garden"], **create_composition("Sunflowers at half price")},
                      format="json")
    found = alice_client.get(f"/v1/{project.id}/digital-human-video-scripts?q=SUNFLOWERS").json()
    assert [(s["script_name"], s["tags"]) for s in found["video_scripts"]] == [("Promo", ["Garden"])]
    assert alice_client.get(f"/v1/{project.id}/digital-human-video-scripts?tag=garden").json()["count"] == 1
