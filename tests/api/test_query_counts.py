"""show, list and both kinds of API authentication cost a fixed, small number of queries, whatever the page size;
a credential's last use is written at most once a minute, and a revoked one is refused at once; the caller's
membership is read once and a changed role or a removed member counts on the very next request."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from composer.jobs.models import VideoTag
from composer.teams.models import AccessKey, AuthToken
from composer.teams.services import remove_member
from tests.support.finished import finished_job
from tests.support.sdk import signed_get
from tests.support.users import token_client

pytestmark = pytest.mark.django_db

# The job, its tags, its output asset (the caller's membership is kept, like the token: composer.teams.kept).
SHOW_QUERIES = 3
# The page of jobs (with the count of all matches), their tags, their output assets.
LIST_QUERIES = 3


def tagged_jobs(project, count: int) -> list:
    jobs = [finished_job(project) for _ in range(count)]
    VideoTag.objects.bulk_create([VideoTag(job=job, name=name, key=name) for job in jobs for name in ("a", "b")])
    return jobs


def sql_of(queries: CaptureQueriesContext) -> str:
    return "\n".join(query["sql"] for query in queries.captured_queries)


def test_show_costs_a_fixed_number_of_queries(alice_client, project, django_assert_num_queries):
    job = tagged_jobs(project, 1)[0]
    path = f"/v1/{project.id}/2d-digital-human-videos/{job.id}"
    assert alice_client.get(path).status_code == 200  # the token is read once, then served from the cache
    with django_assert_num_queries(SHOW_QUERIES):
        shown = alice_client.get(path)
    assert shown.status_code == 200
    assert shown.json()["tags"] == ["a", "b"]
    assert shown.json()["output_asset_config"]["preview_video_url"].startswith("http://testserver/")


@pytest.mark.parametrize("limit", [1, 10, 100])
def test_list_costs_the_same_queries_at_any_page_size(alice_client, project, django_assert_num_queries, limit):
    tagged_jobs(project, 30)
    path = f"/v1/{project.id}/digital-human-videos?limit={limit}"
    assert alice_client.get(path).status_code == 200
    with django_assert_num_queries(LIST_QUERIES):
        listed = alice_client.get(path).json()
    assert listed["count"] == 30
    assert len(listed["jobs"]) == min(limit, 30)
    assert all(job["tags"] == ["a", "b"] and job["output_asset_config"]["cover_url"] for job in listed["jobs"])


def test_a_token_is_read_and_its_use_written_once_then_served_from_the_cache(alice, project):
    tagged_jobs(project, 2)
    client = token_client(alice)
    path = f"/v1/{project.id}/digital-human-videos"
    with CaptureQueriesContext(connection) as first:
        assert client.get(path).status_code == 200
    assert "teams_authtoken" in sql_of(first)
    used = AuthToken.objects.get(user=alice).last_used_at
    assert used is not None
    with CaptureQueriesContext(connection) as later:
        for _ in range(5):
            assert client.get(path).status_code == 200
    # Neither a lookup nor a last-use write: the token row is not touched within the minute.
    assert "teams_authtoken" not in sql_of(later)
    assert len(later.captured_queries) == 5 * LIST_QUERIES
    assert AuthToken.objects.get(user=alice).last_used_at == used


def test_an_access_key_is_read_and_its_use_written_once_then_served_from_the_cache(alice_key, project):
    tagged_jobs(project, 2)
    path = f"/v1/{project.id}/digital-human-videos"
    with CaptureQueriesContext(connection) as first:
        assert signed_get(alice_key.ak, alice_key.sk, project.id, path).status_code == 200
    assert "teams_accesskey" in sql_of(first)
    used = AccessKey.objects.get(pk=alice_key.pk).last_used_at
    assert used is not None
    with CaptureQueriesContext(connection) as later:
        for _ in range(3):
            assert signed_get(alice_key.ak, alice_key.sk, project.id, path).status_code == 200
    assert "teams_accesskey" not in sql_of(later)
    assert len(later.captured_queries) == 3 * LIST_QUERIES
    assert AccessKey.objects.get(pk=alice_key.pk).last_used_at == used
    # A cached key still checks every signature.
    assert signed_get(alice_key.ak, "not-the-secret", project.id, path).status_code == 401


def test_a_revoked_token_is_refused_on_the_very_next_request(alice, project):
    client = token_client(alice)
    path = f"/v1/{project.id}/digital-human-videos"
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200  # now cached
    row = AuthToken.objects.get(user=alice)
    assert client.delete(f"/v1/{project.id}/auth-tokens/{row.id}").status_code == 204
    refused = client.get(path)
    assert refused.status_code == 401
    assert refused.json()["error_code"] == "MSS.00000001"


def test_a_deleted_token_and_a_deactivated_user_are_refused_at_once(alice, bob, project):
    path = f"/v1/{project.id}/digital-human-videos"
    alice_client, bob_client = token_client(alice), token_client(bob)
    assert alice_client.get(path).status_code == 200 and bob_client.get(path).status_code == 200
    AuthToken.objects.filter(user=alice).delete()
    assert alice_client.get(path).status_code == 401
    bob.is_active = False
    bob.save()
    assert bob_client.get(path).status_code == 401


def test_a_removed_members_access_key_stops_at_once(alice, alice_key, project, django_user_model):
    from composer.teams.models import Membership

    path = f"/v1/{project.id}/digital-human-videos"
    assert signed_get(alice_key.ak, alice_key.sk, project.id, path).status_code == 200
    owner = django_user_model.objects.create_user(username="olga", password="olga-pass-123")
    Membership.objects.create(project=project, user=owner, role="owner")
    remove_member(Membership.objects.get(project=project, user=alice), by=owner)
    # Even once a member again, the revoked key stays refused.
    Membership.objects.create(project=project, user=alice, role="editor")
    assert signed_get(alice_key.ak, alice_key.sk, project.id, path).status_code == 401


def test_an_unknown_token_is_refused_and_never_cached(project):
    client = APIClient()
    client.credentials(HTTP_X_AUTH_TOKEN="cmp_not-a-real-token")
    path = f"/v1/{project.id}/digital-human-videos"
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 401
        assert "teams_authtoken" in sql_of(queries)


def test_the_membership_is_read_once_and_a_change_counts_at_once(alice, bob, project):
    from composer.teams.models import Membership, Role
    from composer.teams.services import change_member

    tagged_jobs(project, 1)
    client = token_client(alice)
    path = f"/v1/{project.id}/digital-human-videos"
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as later:
        assert client.get(path).status_code == 200
    assert "teams_membership" not in sql_of(later)
    # A role changed by the service, by a queryset update, and the project's own settings: each is read again.
    owner = Membership.objects.get(project=project, user=bob)
    owner.role = Role.OWNER
    owner.save()
    change_member(Membership.objects.get(project=project, user=alice), by=bob, role=Role.VIEWER)
    body = {"script_id": "x"}
    assert client.post(f"/v1/{project.id}/video-batches", body, format="json").status_code == 403
    Membership.objects.filter(project=project, user=alice).update(role=Role.EDITOR)
    assert client.post(f"/v1/{project.id}/video-batches", body, format="json").status_code != 403
    Membership.objects.filter(project=project, user=alice).delete()
    refused = client.get(path)
    assert refused.status_code == 403 and "not a member" in refused.json()["error_msg"]


def test_a_project_change_reaches_the_kept_membership(alice, project):
    from composer.teams.models import Project
    from composer.teams.services import membership_of

    assert membership_of(alice, project.id).project.require_approval is False
    Project.objects.filter(pk=project.pk).update(require_approval=True)
    assert membership_of(alice, project.id).project.require_approval is True
    project.refresh_from_db()
    project.name = "Renamed"
    project.save()
    assert membership_of(alice, project.id).project.name == "Renamed"
