"""Every project page x every role x a foreign project x anonymous, checked against the permission matrix.

The pages' own tests check their content; this one walks all of them so a page added without the right
`project_page` action, or an object looked up outside the caller's project, fails here."""
from __future__ import annotations

import pytest
from django.urls import reverse

from composer.jobs.models import VideoBatch, VideoJob
from composer.scripts.approvals import request_approval
from composer.scripts.services import create_script
from composer.studio.access import NAV
from composer.teams.invitations import invite
from composer.teams.models import Membership, Role
from composer.teams.permissions import MATRIX
from tests.support.factories import create_composition
from tests.support.pages import page_data

pytestmark = pytest.mark.django_db

ROLES = [Role.OWNER, Role.EDITOR, Role.APPROVER, Role.VIEWER]
# Pages of one object, with the matrix action that opens them.
OBJECT_PAGES = [("editor", "script", "script.view"), ("approval", "request", "script.view"),
                ("job", "job", "job.view"), ("batch", "batch", "job.view")]


def objects_of(project, user) -> dict[str, str]:
    script = create_script(project, {"script_name": f"{project.name} teaser", **create_composition()}, user=user)
    approval = request_approval(script, {}, user=user)
    batch = VideoBatch.objects.create(project=project, script_id=script.id, script_revision_id=script.head.id,
                                      revision=1, created_by=user,
                                      rows=[{"row": 1, "values": {}, "output_name": "teaser"}])
    job = VideoJob.objects.create(project=project, created_by=user, spec=create_composition(), asset_name="teaser",
                                  batch=batch, batch_row=0)
    return {"script": script.id, "request": str(approval.pk), "job": job.id, "batch": str(batch.id)}


@pytest.fixture
def members(project, alice, django_user_model):
    """One user per role in `project`, as logged-in test clients are made from them."""
    users = {}
    for role in ROLES:
        user = django_user_model.objects.create_user(username=f"m-{role}", password="x")
        Membership.objects.create(project=project, user=user, role=role)
        users[role] = user
    return users


@pytest.fixture
def pages(project, other_project, alice, charlie):
    """(url name, args, action) for every page of `project`, and the object pages pointed at charlie's objects
    through `project`'s URLs (which must be unknown there)."""
    mine, theirs = objects_of(project, alice), objects_of(other_project, charlie)
    own = [(name, [project.id], action) for _, name, _, action in NAV]
    own += [("batch-start", [project.id], "job.create")]     # New batch: reached from Batches, not the nav
    own += [(name, [project.id, mine[key]], action) for name, key, action in OBJECT_PAGES]
    foreign_objects = [(name, [project.id, theirs[key]]) for name, key, _ in OBJECT_PAGES]
    return own, foreign_objects


def test_each_role_gets_what_the_matrix_allows(client, members, pages):
    own, _ = pages
    for role, user in members.items():
        client.force_login(user)
        for name, args, action in own:
            expected = 200 if role in MATRIX[action] else 403
            status = client.get(reverse(name, args=args)).status_code
            assert status == expected, f"{role} on {name}: {status}, the matrix says {expected}"


def test_other_projects_and_their_objects_do_not_exist(client, members, pages, charlie):
    own, foreign_objects = pages
    client.force_login(charlie)
    for name, args, _ in own:
        assert client.get(reverse(name, args=args)).status_code == 404, f"charlie sees {name}"
    client.force_login(members[Role.OWNER])
    for name, args in foreign_objects:
        assert client.get(reverse(name, args=args)).status_code == 404, f"{name} of another project is shown"


def test_anonymous_visitors_are_sent_to_sign_in(client, pages):
    own, _ = pages
    for name, args, _ in own:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/login" in response["Location"], name


def test_pending_invitations_show_to_the_roles_the_matrix_allows(client, members, project, charlie):
    invitation = invite(project, "newcomer", role=Role.VIEWER, by=members[Role.OWNER])
    for role, user in members.items():
        client.force_login(user)
        response = client.get(reverse("members", args=[project.id]))
        shown = "data-invitations-card" in response.content.decode()
        assert shown == (role in MATRIX["invitations.view"]), f"{role} sees pending invitations: {shown}"
        assert page_data(response)["can_revoke_invitations"] == (role in MATRIX["invitations.manage"]), role
        # Nobody's projects page offers them an invitation that is not theirs.
        assert invitation.pk not in client.get(reverse("home")).content.decode(), role
    client.force_login(charlie)
    assert client.get(reverse("members", args=[project.id])).status_code == 404
