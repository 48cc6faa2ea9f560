"""Members: owners invite users (tests/api/test_invitations.py) or create accounts, change roles, remove members; all of it is audited."""
from __future__ import annotations

import pytest

from composer.teams.models import AccessKey, Membership, Role
from composer.teams.services import create_access_key
from tests.support.users import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(django_user_model, project):
    olga = django_user_model.objects.create_user(username="olga", password="olga-pass-123")
    Membership.objects.create(project=project, user=olga, role=Role.OWNER)
    return token_client(olga)


def url(project, rest: str = "") -> str:
    return f"/v1/{project.id}/members{rest}"


def test_it_lists_members_for_every_member(alice_client, project):
    members = alice_client.get(url(project)).json()
    assert {(m["username"], m["role"]) for m in members["members"]} == {("alice", "editor"), ("bob", "approver")}


def test_an_owner_names_an_existing_user_and_they_are_invited_not_added(owner_client, project, charlie):
    response = owner_client.post(url(project), {"username": "charlie", "role": "viewer"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "PENDING" and "email" not in response.json()
    assert not Membership.objects.filter(project=project, user=charlie).exists()
    member = owner_client.post(url(project), {"username": "alice", "role": "viewer"}, format="json")
    assert member.status_code == 409 and member.json()["error_msg"].startswith("username:")


def test_an_owner_creates_an_account(owner_client, project, django_user_model):
    weak = owner_client.post(url(project), {"username": "erin", "email": "e@example.com", "password": "123",
                                            "role": "editor"}, format="json")
    assert weak.status_code == 400 and weak.json()["error_msg"].startswith("password:")
    assert not django_user_model.objects.filter(username="erin").exists()
    made = owner_client.post(url(project), {"username": "erin", "email": "e@example.com",
                                            "password": "a-long-Passphrase-42", "role": "editor",
                                            "may_skip_review": True}, format="json")
    assert made.status_code == 200 and made.json()["may_skip_review"] is True
    assert django_user_model.objects.get(username="erin").check_password("a-long-Passphrase-42")
    assert Membership.objects.filter(project=project, user__username="erin").exists()


def test_a_taken_username_for_a_new_account_says_nothing_about_its_account(owner_client, project, charlie):
    taken = owner_client.post(url(project), {"username": "charlie", "email": "c2@example.com",
                                             "password": "a-long-Passphrase-42"}, format="json")
    assert taken.status_code == 409 and taken.json()["error_msg"].startswith("username:")
    assert "charlie@example.com" not in taken.content.decode()
    # A weak password is refused first: that the name is taken is said only where the account could be made.
    weak = owner_client.post(url(project), {"username": "charlie", "email": "c2@example.com", "password": "123"},
                             format="json")
    assert weak.status_code == 400 and weak.json()["error_msg"].startswith("password:")


def test_an_owner_changes_roles_and_removes_members(owner_client, project, alice):
    key = create_access_key(alice, project)
    changed = owner_client.put(url(project, "/alice"), {"role": "approver", "may_skip_review": True}, format="json")
    assert changed.json()["role"] == "approver" and changed.json()["may_skip_review"] is True
    assert owner_client.put(url(project, "/alice"), {"role": "boss"}, format="json").status_code == 400
    assert owner_client.delete(url(project, "/alice")).status_code == 204
    assert not Membership.objects.filter(project=project, user=alice).exists()
    assert AccessKey.objects.get(pk=key.pk).revoked_at is not None
    assert owner_client.get(url(project, "/alice")).status_code == 404
    actions = [e["action"] for e in owner_client.get(f"/v1/{project.id}/audit-logs").json()["audit_logs"]]
    assert actions[:2] == ["member.remove", "member.change"]


def test_the_last_owner_stays(owner_client, project):
    demote = owner_client.put(url(project, "/olga"), {"role": "editor"}, format="json")
    assert demote.status_code == 409 and "only owner" in demote.json()["error_msg"]
    assert owner_client.delete(url(project, "/olga")).status_code == 409


def test_the_audit_log_pages(owner_client, project, bob_client):
    for word_list in (["a"], ["b"], ["c"]):
        owner_client.put(f"/v1/{project.id}/review-words", {"review_words": word_list}, format="json")
    page = bob_client.get(f"/v1/{project.id}/audit-logs", {"offset": 1, "limit": 1}).json()
    assert page["count"] == 3 and len(page["audit_logs"]) == 1
    assert page["audit_logs"][0]["action"] == "project.review_words" and page["audit_logs"][0]["user"] == "olga"


def test_review_words_are_cleaned(owner_client, project):
    response = owner_client.put(f"/v1/{project.id}/review-words", {"review_words": [" Free ", "free", "最便宜"]},
                                format="json")
    assert response.json() == {"review_words": ["Free", "最便宜"]}
    assert owner_client.put(f"/v1/{project.id}/review-words", {"review_words": "free"}, format="json") \
        .status_code == 400


def test_the_audit_log_filters_by_action_and_user(owner_client, project, bob_client):
    owner_client.put(f"/v1/{project.id}/review-words", {"review_words": ["a"]}, format="json")
    owner_client.put(url(project, "/alice"), {"role": "approver"}, format="json")
    mine = bob_client.get(f"/v1/{project.id}/audit-logs", {"user": "olga"}).json()["audit_logs"]
    assert {e["user"] for e in mine} == {"olga"} and len(mine) == 2
    changes = bob_client.get(f"/v1/{project.id}/audit-logs", {"action": "member.change"}).json()
    assert changes["count"] == 1 and changes["audit_logs"][0]["action"] == "member.change"
    assert bob_client.get(f"/v1/{project.id}/audit-logs", {"user": "nobody"}).json()["count"] == 0
