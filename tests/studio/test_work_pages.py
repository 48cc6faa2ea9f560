"""The scripts, approvals and videos pages: each role sees what the matrix allows, foreign projects look unknown."""
from __future__ import annotations

import pytest

from composer.jobs.models import JobState, VideoJob
from composer.scripts.approvals import approve, request_approval
from composer.scripts.services import create_script, save_script
from composer.scripts.starters import STARTERS, starter_composition
from composer.spec import validate_composition
from composer.teams.models import Membership, Role
from tests.support.pages import page_data

pytestmark = pytest.mark.django_db

ROLES = ["owner", "alice", "bob", "viewer"]


@pytest.fixture
def team(project, alice, bob, django_user_model):
    owner = django_user_model.objects.create_user(username="olga", password="x")
    viewer = django_user_model.objects.create_user(username="vera", password="x")
    Membership.objects.create(project=project, user=owner, role=Role.OWNER)
    Membership.objects.create(project=project, user=viewer, role=Role.VIEWER)
    return {"owner": owner, "alice": alice, "bob": bob, "viewer": viewer}


@pytest.fixture
def script(project, alice):
    return create_script(project, {"script_name": "Spring <launch>", **starter_composition("landscape", "welcome")},
                         user=alice)


@pytest.fixture
def pending(script, alice):
    return request_approval(script, {"comment": "first cut"}, user=alice)


@pytest.fixture
def job(project, alice, script):
    return VideoJob.objects.create(project=project, created_by=alice, spec=script.head.composition,
                                   asset_name="Teaser <cut>", script_id=script.id)


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("role", ROLES)
def test_it_lists_scripts_with_the_actions_the_role_allows(client, team, project, script, role):
    html = get(client, team[role], f"/p/{project.id}/scripts").content.decode()
    assert "Spring &lt;launch&gt;" in html and "Welcome aboard" in html and "Not approved" in html
    makers = role in ("owner", "alice")
    assert ("data-new-script" in html) is makers
    assert (f'data-copy="{script.id}"' in html) is makers
    assert (f'data-delete="{script.id}"' in html) is makers


def test_the_scripts_search_filters_and_explains_no_match(client, alice, project, script):
    client.force_login(alice)
    assert "Spring &lt;launch&gt;" in client.get(f"/p/{project.id}/scripts?q=spring").content.decode()
    html = client.get(f"/p/{project.id}/scripts?q=autumn").content.decode()
    assert "Spring &lt;launch" not in html and "No script matches" in html


def test_an_empty_project_invites_the_first_script(client, alice, project):
    html = get(client, alice, f"/p/{project.id}/scripts").content.decode()
    assert "No scripts yet" in html and "Create the first script" in html


@pytest.mark.parametrize("key", list(STARTERS))
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_each_starter_is_a_valid_composition(key, orientation):
    composition = starter_composition(orientation, key)
    validate_composition(composition)
    assert len(composition["shoot_scripts"]) == len(STARTERS[key]["scenes"])


def test_the_new_script_dialog_gets_every_starter(client, alice, project):
    data = page_data(get(client, alice, f"/p/{project.id}/scripts").content.decode())
    assert {s["key"] for s in data["starters"]} == set(STARTERS)
    assert data["compositions"]["product:portrait"]["video_config"]["height"] == 1920


@pytest.mark.parametrize("role", ROLES)
def test_the_inbox_puts_pending_requests_first(client, team, project, script, pending, role):
    html = get(client, team[role], f"/p/{project.id}/approvals").content.decode()
    assert html.index("Waiting for a decision") < html.index("Decided")
    assert f'data-request="{pending.id}"' in html and "first cut" in html
    assert ("Review</a>" in html) is (role in ("owner", "bob"))


def test_the_inbox_marks_approvals_the_script_moved_on_from(client, alice, bob, project, script, pending):
    approve(script, {}, user=bob)
    assert "Edited since" not in get(client, alice, f"/p/{project.id}/approvals").content.decode()
    save_script(script, {"script_name": script.name, **starter_composition("portrait")}, user=alice)
    html = get(client, alice, f"/p/{project.id}/approvals").content.decode()
    assert "Edited since" in html and "Replaced" not in html


def test_decided_requests_show_the_decision(client, alice, bob, project, script, pending):
    approve(script, {"comment": "ship it"}, user=bob)
    html = get(client, alice, f"/p/{project.id}/approvals").content.decode()
    assert "Nothing is waiting" in html and "ship it" in html and "approval-approved" in html


@pytest.mark.parametrize("role", ROLES)
def test_the_approval_page_shows_scenes_and_the_decision_to_approvers(client, team, project, script, pending, role):
    html = get(client, team[role], f"/p/{project.id}/approvals/{pending.id}").content.decode()
    assert "Spring &lt;launch&gt;" in html and "Welcome aboard" in html
    assert "/revisions/1/preview?scene=1&amp;width=480" in html
    assert ("data-approve" in html) is (role in ("owner", "bob"))
    data = page_data(html)
    assert data["can_decide"] is (role in ("owner", "bob"))
    assert data["compare_to"] is None and len(data["scenes"]) == 2


def test_the_approval_page_compares_with_the_last_approved_revision(client, alice, bob, project, script, pending):
    approve(script, {}, user=bob)
    composition = starter_composition("landscape", "welcome")
    composition["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] = "Hello again."
    save_script(script, {"script_name": script.name, **composition}, user=alice)
    save_script(script, {"script_name": script.name, **composition, "voice_config": {
        **composition["voice_config"], "speed": 120}}, user=alice)
    second = request_approval(script, {}, user=alice)
    data = page_data(get(client, bob, f"/p/{project.id}/approvals/{second.id}").content.decode())
    assert data["compare_to"] == 1 and data["revision"] == 3 and data["can_decide"]
    # In words, against revision 1 (not the autosave before): the first scene's text and the voice's speed.
    changed = {(c["group"], c["what"]): c for c in data["changes"]}
    assert changed["Scene 1", "Script text"]["after"] == "Hello again."
    assert "speed 120" in changed["Video, presenter and voice", "Voice"]["after"]


def test_the_approval_page_names_review_hits(client, alice, bob, project, script, pending):
    project.review_words = ["aboard"]
    project.save()
    html = get(client, bob, f"/p/{project.id}/approvals/{pending.id}").content.decode()
    assert "“aboard”" in html and "shoot_scripts[0].shoot_script.text_config.text" in html


def test_an_approved_request_offers_the_render(client, alice, bob, project, script, pending):
    approve(script, {}, user=bob)
    html = get(client, alice, f"/p/{project.id}/approvals/{pending.id}").content.decode()
    assert page_data(html)["renderable"] is True and "data-render>" in html
    assert "approval-approved" in html


def test_an_unknown_request_is_not_found(client, alice, project):
    assert get(client, alice, f"/p/{project.id}/approvals/nope").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_videos_page_lists_jobs_for_every_role(client, team, project, job, role):
    html = get(client, team[role], f"/p/{project.id}/videos").content.decode()
    data = page_data(html)
    assert [j["job_id"] for j in data["jobs"]] == [str(job.id)]
    assert "Rendering" in html and "Ready" in html   # the state chips


def test_the_videos_page_filters_by_state(client, alice, project, job):
    client.force_login(alice)
    assert page_data(client.get(f"/p/{project.id}/videos?state=FAILED").content.decode())["jobs"] == []
    data = page_data(client.get(f"/p/{project.id}/videos?state=WAITING,bogus").content.decode())
    assert data["states"] == ["WAITING"] and len(data["jobs"]) == 1


@pytest.mark.parametrize("role", ROLES)
def test_the_job_page_shows_the_job_and_cancel_to_makers(client, team, project, job, role):
    html = get(client, team[role], f"/p/{project.id}/videos/{job.id}").content.decode()
    assert "Teaser &lt;cut&gt;" in html and "Spring &lt;launch&gt;" in html
    data = page_data(html)
    assert data["job"]["job_id"] == str(job.id) and [s["value"] for s in data["stages"]][0] == "queued"
    assert ("data-cancel " in html) is (role != "viewer")


def test_a_failed_job_carries_its_error(client, alice, project, job):
    VideoJob.objects.filter(pk=job.pk).update(state=JobState.FAILED, error_code="MSS.00000011",
                                              error_msg="An asset is missing: image x")
    data = page_data(get(client, alice, f"/p/{project.id}/videos/{job.id}").content.decode())
    assert data["job"]["error_info"]["error_code"] == "MSS.00000011"


def test_an_unknown_job_is_not_found(client, alice, project):
    assert get(client, alice, f"/p/{project.id}/videos/00000000-0000-0000-0000-000000000000").status_code == 404


def paths(project, pending, job):
    return [f"/p/{project.id}/scripts", f"/p/{project.id}/approvals", f"/p/{project.id}/approvals/{pending.id}",
            f"/p/{project.id}/videos", f"/p/{project.id}/videos/{job.id}"]


def test_foreign_projects_look_unknown(client, charlie, other_project, project, pending, job):
    client.force_login(charlie)
    for path in paths(project, pending, job):
        assert client.get(path).status_code == 404, path


def test_foreign_objects_look_unknown_through_ones_own_project(client, charlie, other_project, pending, job):
    client.force_login(charlie)
    assert client.get(f"/p/{other_project.id}/approvals/{pending.id}").status_code == 404
    assert client.get(f"/p/{other_project.id}/videos/{job.id}").status_code == 404


def test_the_pages_require_sign_in(client, project, pending, job):
    for path in paths(project, pending, job):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response["Location"], path


def test_the_videos_pages_keep_the_filter(client, alice, project):
    VideoJob.objects.bulk_create([VideoJob(project=project, created_by=alice, spec={}, asset_name=f"Clip {n}")
                                  for n in range(26)])
    client.force_login(alice)
    html = client.get(f"/p/{project.id}/videos?state=WAITING").content.decode()
    assert "Page 1 of 2" in html and 'href="?state=WAITING&amp;page=2"' in html
    data = page_data(client.get(f"/p/{project.id}/videos?state=WAITING&page=2").content.decode())
    assert len(data["jobs"]) == 1 and data["first_page"] is False


def test_decided_requests_are_paged(client, alice, bob, project):
    for n in range(26):
        script = create_script(project, {"script_name": f"Cut {n}", **starter_composition("landscape")}, user=alice)
        request_approval(script, {}, user=alice)
        approve(script, {}, user=bob)
    client.force_login(bob)
    html = client.get(f"/p/{project.id}/approvals").content.decode()
    assert "Page 1 of 2" in html and html.count("approval-approved") == 25
    assert client.get(f"/p/{project.id}/approvals?page=2").content.decode().count("approval-approved") == 1
