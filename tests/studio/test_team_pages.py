"""Members, asset library, API keys and audit log pages: who may open them and what each role is offered."""
from __future__ import annotations

import pytest
from django.urls import reverse

from composer.teams.invitations import accept_invitation, invite
from composer.teams.models import Membership, Role
from composer.teams.permissions import MATRIX
from composer.teams.services import create_access_key, record_audit
from tests.support.pages import page_data
from tests.support.users import make_user

pytestmark = pytest.mark.django_db

PAGES = {"members": "members.view", "assets": "asset.view", "keys": "keys.manage", "audit": "audit.view"}


@pytest.fixture
def people(project, django_user_model):
    users = {}
    for role in Role:
        users[role] = make_user(django_user_model, f"m-{role}")
        Membership.objects.create(project=project, user=users[role], role=role)
    return users


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", list(Role))
def test_each_role_opens_what_the_matrix_allows(client, people, project, page, role):
    client.force_login(people[role])
    response = client.get(reverse(page, args=[project.id]))
    assert response.status_code == (200 if role in MATRIX[PAGES[page]] else 403)


@pytest.mark.parametrize("page", PAGES)
def test_foreign_and_anonymous_visitors_are_kept_out(client, project, charlie, other_project, page):
    url = reverse(page, args=[project.id])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    client.force_login(charlie)
    assert client.get(url).status_code == 404
    assert client.get(reverse(page, args=["0" * 32])).status_code == 404


def test_owners_get_the_member_controls_and_settings(client, people, project):
    client.force_login(people[Role.OWNER])
    response = client.get(reverse("members", args=[project.id]))
    html = response.content.decode()
    assert "data-invite" in html and "data-settings-form" in html and "data-words-form" in html
    assert "data-invitations-card" in html
    data = page_data(response)
    assert data["can_manage"] is True and data["can_revoke_invitations"] is True and data["direct_adds"] is False
    assert {m["username"]: m["role"] for m in data["members"]}["m-approver"] == "approver"


def test_editors_see_the_team_without_controls(client, people, project):
    project.review_words = ["<b>secret</b>"]
    project.save()
    client.force_login(people[Role.EDITOR])
    response = client.get(reverse("members", args=[project.id]))
    html = response.content.decode()
    assert "data-invite" not in html and "data-settings-form" not in html and "data-invitations-card" not in html
    assert "Only owners change these rules" in html
    assert page_data(response)["can_manage"] is False and page_data(response)["can_view_invitations"] is False
    assert "<b>secret</b>" not in html  # page data is JSON-escaped


def test_the_asset_page_offers_upload_by_role(client, people, project):
    client.force_login(people[Role.EDITOR])
    editor = client.get(reverse("assets", args=[project.id]))
    assert "data-dropzone" in editor.content.decode()
    assert page_data(editor)["can_delete"] is True
    client.force_login(people[Role.VIEWER])
    viewer = client.get(reverse("assets", args=[project.id]))
    assert "data-dropzone" not in viewer.content.decode()
    assert page_data(viewer)["can_edit"] is False
    assert [t["value"] for t in page_data(viewer)["types"]][:2] == ["HUMAN_MODEL_2D", "VOICE_MODEL"]


def test_the_keys_page_never_carries_a_secret(client, alice, project):
    key = create_access_key(alice, project)
    client.force_login(alice)
    response = client.get(reverse("keys", args=[project.id]))
    assert response.status_code == 200
    assert key.sk not in response.content.decode()
    assert page_data(response)["project_id"] == project.id


def test_the_audit_log_filters_by_action_and_user_and_pages(client, people, project, alice):
    owner = people[Role.OWNER]
    for index in range(55):
        record_audit(project, alice, "script.update", None, index=index)
    record_audit(project, owner, "member.change", None, role=["editor", "approver"])
    client.force_login(people[Role.APPROVER])
    url = reverse("audit", args=[project.id])
    first = client.get(url).content.decode()
    assert first.count("<tr data-action=") == 50
    assert "role: editor → approver" in first and "Page 1 of 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count("<tr data-action=") == 6
    by_owner = client.get(url, {"user": owner.username}).content.decode()
    assert by_owner.count("<tr data-action=") == 1 and "Changed a member" in by_owner
    by_action = client.get(url, {"action": "script.update", "user": "alice"}).content.decode()
    assert by_action.count('<tr data-action="script.update"') == 50
    assert "action=script.update&amp;user=alice&amp;page=2" in by_action
    assert client.get(url, {"action": "nothing.like.this"}).content.decode().count("<tr data-action=") == 0


def test_audit_rows_name_the_scripts_and_videos_they_touched(client, people, project, alice):
    from composer.jobs.models import VideoJob
    from composer.scripts.services import create_script, delete_script
    from tests.support.factories import create_composition

    body = create_composition()
    kept = create_script(project, {"script_name": "Autumn <teaser>", **body}, user=alice)
    gone = create_script(project, {"script_name": "Draft", **body}, user=alice)
    gone_id = gone.id
    delete_script(gone, user=alice)
    job = VideoJob.objects.create(project=project, created_by=alice, spec={}, asset_name="Autumn cut")
    record_audit(project, alice, "job.create", job)
    client.force_login(people[Role.OWNER])
    page = client.get(reverse("audit", args=[project.id])).content.decode()
    assert f'href="{reverse("editor", args=[project.id, kept.id])}">Autumn &lt;teaser&gt;</a>' in page
    assert f'href="{reverse("job", args=[project.id, job.pk])}">Autumn cut</a>' in page
    assert f"<code>{gone_id[:23]}" in page                      # a deleted script keeps its id, without a link


def test_the_owners_form_invites_unless_the_instance_adds_directly(client, people, project, settings):
    client.force_login(people[Role.OWNER])
    html = client.get(reverse("members", args=[project.id])).content.decode()
    assert ">Invite</button>" in html and "Add member" not in html
    settings.COMPOSER_DIRECT_MEMBER_ADDS = True
    response = client.get(reverse("members", args=[project.id]))
    assert "Add member" in response.content.decode() and page_data(response)["direct_adds"] is True


def test_the_projects_page_lists_the_users_own_invitations(client, project, other_project, charlie, people,
                                                           django_user_model):
    dora = make_user(django_user_model, "dora")
    mine = invite(project, "dora", role=Role.VIEWER, by=people[Role.OWNER])
    invite(other_project, "charlie-2", role=Role.EDITOR, by=charlie)
    client.force_login(dora)
    html = client.get(reverse("home")).content.decode()
    assert f'data-accept="{mine.pk}"' in html and f'data-decline="{mine.pk}"' in html
    assert "launch" in html and "invited by m-owner" in html and "elsewhere" not in html
    assert 'src="/static/composer/home.js"' in html or "composer/home.js" in html
    # Someone else sees no invitation of dora's, and dora none once she answered.
    client.force_login(charlie)
    assert mine.pk not in client.get(reverse("home")).content.decode()
    accept_invitation(mine, user=dora)
    client.force_login(dora)
    html = client.get(reverse("home")).content.decode()
    assert "data-accept" not in html and f'data-project="{project.id}"' in html
