"""Share links: create, resolve, expire, revoke, and the audit rows they write (services)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from composer.errors import Conflict, InvalidInput, NotFound
from composer.jobs import sharing
from composer.jobs.models import JobState, ShareLink, VideoJob
from composer.teams.models import AuditEntry
from tests.support.factories import create_body
from tests.support.finished import finished_video

pytestmark = pytest.mark.django_db


def test_it_creates_a_link_that_resolves_and_is_audited(project, alice):
    job = finished_video(project, alice)
    link = sharing.create_share_link(job, {"expires_in_days": 30, "label": "Client review"}, user=alice)
    assert link.label == "Client review"
    assert timedelta(days=29, hours=23) < link.expires_at - timezone.now() <= timedelta(days=30)
    assert len(link.token) >= 32
    assert sharing.resolve_share_link(link.token) == link
    entry = AuditEntry.objects.get(action="job.share")
    assert (entry.user, entry.object_id, entry.detail["label"]) == (alice, str(job.pk), "Client review")


def test_it_names_links_when_no_label_is_given(project, alice):
    job = finished_video(project, alice)
    first = sharing.create_share_link(job, {}, user=alice)
    second = sharing.create_share_link(job, {"label": "  "}, user=alice)
    assert (first.label, second.label) == ("Link 1", "Link 2")
    assert first.expires_at - timezone.now() > timedelta(days=6, hours=23)


@pytest.mark.parametrize("days", [0, 2, 365, "7", True, None])
def test_it_refuses_lifetimes_other_than_1_7_30_days(project, alice, days):
    job = finished_video(project, alice)
    with pytest.raises(InvalidInput, match=r"^expires_in_days: must be 1, 7 or 30"):
        sharing.create_share_link(job, {"expires_in_days": days}, user=alice)
    assert not ShareLink.objects.exists()


def test_it_refuses_a_long_label(project, alice):
    job = finished_video(project, alice)
    with pytest.raises(InvalidInput, match=r"^label: must be text of 1-64 characters"):
        sharing.create_share_link(job, {"label": "x" * 65}, user=alice)


@pytest.mark.parametrize("state", [JobState.WAITING, JobState.PROCESSING, JobState.FAILED, JobState.CANCELED])
def test_it_shares_only_finished_videos(project, alice, state):
    job = VideoJob.objects.create(project=project, created_by=alice, spec=create_body(), state=state)
    with pytest.raises(InvalidInput, match=r"^job_id: only a finished video can be shared"):
        sharing.create_share_link(job, {}, user=alice)


def test_an_expired_link_is_gone(project, alice):
    job = finished_video(project, alice)
    link = sharing.create_share_link(job, {"expires_in_days": 1}, user=alice)
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(sharing.ShareLinkGone) as caught:
        sharing.resolve_share_link(link.token)
    assert (caught.value.status, caught.value.reason) == (410, "expired")


def test_a_revoked_link_is_gone_and_revoking_twice_is_refused(project, alice, bob):
    job = finished_video(project, alice)
    link = sharing.create_share_link(job, {}, user=alice)
    sharing.revoke_share_link(link, user=bob)
    with pytest.raises(sharing.ShareLinkGone, match="revoked"):
        sharing.resolve_share_link(link.token)
    with pytest.raises(Conflict, match=r"^link_id: the share link 'Link 1' was already revoked"):
        sharing.revoke_share_link(link, user=bob)
    entry = AuditEntry.objects.get(action="job.share_revoke")
    assert (entry.user, entry.detail["link_id"]) == (bob, str(link.pk))


def test_an_unknown_token_is_not_found(db):
    with pytest.raises(NotFound):
        sharing.resolve_share_link("no-such-token")


def test_a_view_is_counted_and_audited_as_the_link(project, alice):
    job = finished_video(project, alice)
    link = sharing.create_share_link(job, {"label": "Agency"}, user=alice)
    sharing.record_share_view(link)
    sharing.record_share_view(link)
    link.refresh_from_db()
    assert link.view_count == 2 and link.last_viewed_at is not None
    views = AuditEntry.objects.filter(action="job.share_view", project=project)
    assert views.count() == 2
    assert views.first().user is None
    assert views.first().detail == {"who": "shared link Agency", "link_id": str(link.pk), "label": "Agency"}


def test_another_videos_link_is_unknown(project, alice):
    job, other = finished_video(project, alice), finished_video(project, alice, "Other")
    link = sharing.create_share_link(other, {}, user=alice)
    with pytest.raises(NotFound):
        sharing.get_share_link(job, str(link.pk))
    with pytest.raises(NotFound):
        sharing.get_share_link(job, "not-a-uuid")
