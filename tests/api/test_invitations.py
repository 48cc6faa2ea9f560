"""Invitations: naming a user invites them, they join only by accepting; the owner's answer is the same for an
account and an unknown name, and nobody's e-mail is shown before they are a member."""
from __future__ import annotations

import pytest

from composer.teams.models import Invitation, InvitationState, Membership, Role
from tests.support.signing import sdk_signed, send
from tests.support.users import make_user, token_client

pytestmark = pytest.mark.django_db
SAME_FOR_EVERY_NAME = ("role", "may_skip_review", "state", "invited_by")


@pytest.fixture
def owner_client(django_user_model, project):
    olga = make_user(django_user_model, "olga")
    Membership.objects.create(project=project, user=olga, role=Role.OWNER)
    return token_client(olga)


@pytest.fixture
def carol(django_user_model):
    return make_user(django_user_model, "carol")


def invite(client, project, username: str, role: str = "viewer", **extra):
    return client.post(f"/v1/{project.id}/members", {"username": username, "role": role, **extra}, format="json")


def mine(user) -> list[dict]:
    return token_client(user).get("/v1/invitations").json()["invitations"]


def test_an_account_and_an_unknown_name_get_the_same_answer(owner_client, project, carol):
    known, unknown = invite(owner_client, project, "carol"), invite(owner_client, project, "nobody")
    assert known.status_code == unknown.status_code == 200
    assert known["Content-Type"] == unknown["Content-Type"]
    a, b = known.json(), unknown.json()
    assert a.keys() == b.keys() == {"invitation_id", "username", "role", "may_skip_review", "state", "invited_by",
                                    "invite_time"}
    assert {k: a[k] for k in SAME_FOR_EVERY_NAME} == {k: b[k] for k in SAME_FOR_EVERY_NAME} == \
        {"role": "viewer", "may_skip_review": False, "state": "PENDING", "invited_by": "olga"}
    assert (a["username"], b["username"]) == ("carol", "nobody")
    # Inviting either again changes its invitation the same way.
    again = [invite(owner_client, project, name, "editor") for name in ("carol", "nobody")]
    assert [r.status_code for r in again] == [200, 200]
    assert [r.json()["invitation_id"] for r in again] == [a["invitation_id"], b["invitation_id"]]
    listed = owner_client.get(f"/v1/{project.id}/invitations").json()
    assert listed["count"] == 2
    assert [{k: i[k] for k in SAME_FOR_EVERY_NAME} for i in listed["invitations"]] == \
        [{"role": "editor", "may_skip_review": False, "state": "PENDING", "invited_by": "olga"}] * 2
    assert not Membership.objects.filter(project=project, user=carol).exists()


def test_no_answer_shows_a_non_members_email(owner_client, project, carol, bob):
    texts = [invite(owner_client, project, "carol").content,
             owner_client.get(f"/v1/{project.id}/invitations").content,
             owner_client.get(f"/v1/{project.id}/members").content,
             owner_client.get(f"/v1/{project.id}/audit-logs").content]
    assert all(b"carol@example.com" not in text for text in texts)
    assert b"bob@example.com" in texts[2]    # members' own e-mails are shown to their team, as before


def test_the_invited_user_accepts_and_joins_with_the_role(owner_client, project, carol):
    sent = invite(owner_client, project, "carol", "approver", may_skip_review=True).json()
    waiting = mine(carol)
    assert [(i["invitation_id"], i["project_name"], i["role"], i["invited_by"]) for i in waiting] == \
        [(sent["invitation_id"], "launch", "approver", "olga")]
    carol_client = token_client(carol)
    assert carol_client.get(f"/v1/{project.id}/members").status_code == 403
    joined = carol_client.post(f"/v1/invitations/{sent['invitation_id']}/accept", {}, format="json")
    assert joined.status_code == 200
    assert joined.json()["role"] == "approver" and joined.json()["email"] == "carol@example.com"
    membership = Membership.objects.get(project=project, user=carol)
    assert (membership.role, membership.may_skip_review) == (Role.APPROVER, True)
    assert carol_client.get(f"/v1/{project.id}/members").status_code == 200
    assert mine(carol) == [] and owner_client.get(f"/v1/{project.id}/invitations").json()["count"] == 0
    assert carol_client.post(f"/v1/invitations/{sent['invitation_id']}/accept").status_code == 404
    actions = [e["action"] for e in owner_client.get(f"/v1/{project.id}/audit-logs").json()["audit_logs"]]
    assert actions[:2] == ["invitation.accept", "invitation.create"]
    # Now a member: inviting them again is refused, naming the field.
    again = invite(owner_client, project, "carol")
    assert again.status_code == 409 and again.json()["error_msg"].startswith("username:")


def test_declining_changes_nothing_in_the_project(owner_client, project, carol):
    sent = invite(owner_client, project, "carol").json()
    carol_client = token_client(carol)
    declined = carol_client.post(f"/v1/invitations/{sent['invitation_id']}/decline", {}, format="json")
    assert declined.status_code == 200 and declined.json()["state"] == "DECLINED"
    assert not Membership.objects.filter(project=project, user=carol).exists()
    assert carol_client.post(f"/v1/invitations/{sent['invitation_id']}/accept").status_code == 404
    assert owner_client.get(f"/v1/{project.id}/invitations").json()["count"] == 0
    actions = [e["action"] for e in owner_client.get(f"/v1/{project.id}/audit-logs").json()["audit_logs"]]
    assert actions[0] == "invitation.decline"


def test_a_revoked_invitation_cannot_be_accepted(owner_client, project, carol):
    sent = invite(owner_client, project, "carol").json()
    revoke = f"/v1/{project.id}/invitations/{sent['invitation_id']}/revoke"
    revoked = owner_client.post(revoke, {}, format="json")
    assert revoked.status_code == 200 and revoked.json()["state"] == "REVOKED"
    assert owner_client.post(revoke, {}, format="json").status_code == 404
    assert mine(carol) == []
    accept = token_client(carol).post(f"/v1/invitations/{sent['invitation_id']}/accept")
    assert accept.status_code == 404 and accept.json()["error_msg"].startswith("invitation_id:")
    assert not Membership.objects.filter(project=project, user=carol).exists()
    actions = [e["action"] for e in owner_client.get(f"/v1/{project.id}/audit-logs").json()["audit_logs"]]
    assert actions[0] == "invitation.revoke"


def test_nobody_else_answers_someone_elses_invitation(owner_client, project, carol, alice_client, charlie_client):
    sent = invite(owner_client, project, "carol").json()
    for client in (alice_client, charlie_client, owner_client):
        for answer in ("accept", "decline"):
            response = client.post(f"/v1/invitations/{sent['invitation_id']}/{answer}")
            assert response.status_code == 404, (answer, response.content)
    assert Invitation.objects.get(pk=sent["invitation_id"]).state == InvitationState.PENDING
    assert not Membership.objects.filter(project=project, user=carol).exists()
    # Another project's owner does not see or revoke it either.
    other = charlie_client.get(f"/v1/{project.id}/invitations")
    assert other.status_code == 403


def test_an_unknown_name_is_never_acceptable_even_once_the_account_exists(owner_client, project, django_user_model):
    invite(owner_client, project, "latecomer")
    latecomer = make_user(django_user_model, "latecomer")
    assert mine(latecomer) == []


def test_only_owners_see_and_revoke_invitations(owner_client, project, alice_client, carol):
    sent = invite(owner_client, project, "carol").json()
    assert alice_client.get(f"/v1/{project.id}/invitations").status_code == 403
    refused = alice_client.post(f"/v1/{project.id}/invitations/{sent['invitation_id']}/revoke")
    assert refused.status_code == 403 and "invitations.manage" in refused.json()["error_msg"]
    assert invite(alice_client, project, "carol").status_code == 403


def test_an_access_key_does_not_speak_for_its_user_outside_its_project(alice_key):
    response = send("GET", "/v1/invitations", sdk_signed(alice_key.ak, alice_key.sk, "GET", "/v1/invitations"))
    assert response.status_code == 403 and "X-Auth-Token" in response.json()["error_msg"]


def test_the_setting_restores_direct_adds(owner_client, project, carol, settings):
    settings.COMPOSER_DIRECT_MEMBER_ADDS = True
    added = invite(owner_client, project, "carol", "editor")
    assert added.status_code == 200 and added.json()["role"] == "editor" and "join_time" in added.json()
    assert Membership.objects.get(project=project, user=carol).role == Role.EDITOR
    unknown = invite(owner_client, project, "nobody")
    assert unknown.status_code == 400 and unknown.json()["error_msg"].startswith("username:")


def test_an_account_made_by_the_owner_closes_an_invitation_for_its_name(owner_client, project):
    sent = invite(owner_client, project, "erin").json()
    made = invite(owner_client, project, "erin", email="erin@example.com", password="a-long-Passphrase-42")
    assert made.status_code == 200 and made.json()["email"] == "erin@example.com"
    assert Invitation.objects.get(pk=sent["invitation_id"]).state == InvitationState.REVOKED
    assert owner_client.get(f"/v1/{project.id}/invitations").json()["count"] == 0
