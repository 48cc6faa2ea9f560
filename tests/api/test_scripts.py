"""Video scripts through the API: revisions, stale saves, diffs, restore, dry-run validation and approval."""
from __future__ import annotations

import pytest

from composer.jobs.models import JobState, VideoJob
from composer.scripts.models import ScriptRevision
from composer.teams.models import AuditEntry
from tests.support.factories import create_body, create_composition
from tests.support.script_api import save_new, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _approval_required(project):
    project.require_approval = True
    project.save()


def edit(client, project, script_id: str, text: str, base: int | None):
    body = {"shoot_scripts": create_composition(text)["shoot_scripts"]}
    if base is not None:
        body["base_revision"] = base
    return client.put(url(project, f"/{script_id}"), body, format="json")


def submit(client, project, script_id: str):
    return client.post(f"/v1/{project.id}/2d-digital-human-videos",
                       {"script_id": script_id, "output_asset_config": {"asset_name": "From script"}}, format="json")


def test_the_approval_flow_end_to_end(alice_client, bob_client, project):
    script_id = save_new(alice_client, project)
    refused = submit(alice_client, project, script_id)
    assert refused.status_code == 400 and "has not been approved" in refused.json()["error_msg"]

    requested = alice_client.post(url(project, f"/{script_id}/approval-requests"), {"revision": 1}, format="json")
    assert requested.status_code == 200 and requested.json()["state"] == "PENDING"
    inbox = bob_client.get(f"/v1/{project.id}/approval-requests", {"state": "PENDING"}).json()
    assert [(r["script_id"], r["revision"]) for r in inbox["approval_requests"]] == [(script_id, 1)]
    approved = bob_client.post(url(project, f"/{script_id}/approve"), {"comment": "Good"}, format="json")
    assert approved.status_code == 200 and approved.json()["state"] == "APPROVED"
    assert alice_client.get(url(project, f"/{script_id}")).json()["approval"]["state"] == "APPROVED"

    created = submit(alice_client, project, script_id)
    assert created.status_code == 200, created.content
    job = VideoJob.objects.get(pk=created.json()["job_id"])
    revision = ScriptRevision.objects.get(script_id=script_id, number=1)
    assert job.state == JobState.WAITING and job.script_id == script_id
    assert job.script_revision_id == revision.id
    assert job.spec["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] == "Hello."
    assert job.spec["output_asset_config"]["asset_name"] == "From script"

    assert edit(alice_client, project, script_id, "Hello, changed.", base=1).status_code == 200
    stale = submit(alice_client, project, script_id)
    assert stale.status_code == 400
    assert "revision 1 was approved, but revision 2 (saved by alice) changed it" in stale.json()["error_msg"]
    alice_client.post(url(project, f"/{script_id}/approval-requests"), {}, format="json")
    bob_client.post(url(project, f"/{script_id}/approve"), {}, format="json")
    again = submit(alice_client, project, script_id)
    assert again.status_code == 200
    assert VideoJob.objects.get(pk=again.json()["job_id"]).spec["shoot_scripts"][0]["shoot_script"][
        "text_config"]["text"] == "Hello, changed."
    actions = set(AuditEntry.objects.filter(project=project).values_list("action", flat=True))
    assert {"script.create", "script.edit", "script.request_approval", "script.approve", "job.create"} <= actions


def test_a_full_body_job_needs_approval_unless_waived(alice_client, bob_client, project, alice):
    refused = alice_client.post(f"/v1/{project.id}/2d-digital-human-videos", create_body(), format="json")
    assert refused.status_code == 400 and refused.json()["error_msg"].startswith("script_id:")
    waived = create_body(review_config={"no_need_review": True})
    assert alice_client.post(f"/v1/{project.id}/2d-digital-human-videos", waived, format="json").status_code == 400
    alice.memberships.filter(project=project).update(may_skip_review=True)
    assert alice_client.post(f"/v1/{project.id}/2d-digital-human-videos", waived, format="json").status_code == 200
    assert bob_client.post(f"/v1/{project.id}/2d-digital-human-videos", create_body(), format="json") \
        .status_code == 200


def test_a_stale_save_gets_409_naming_who_saved(alice_client, bob, project):
    from composer.teams.models import Membership

    Membership.objects.filter(user=bob).update(role="editor")
    from tests.support.users import token_client

    bob_client = token_client(bob)
    script_id = save_new(alice_client, project)
    assert edit(bob_client, project, script_id, "Bob's words.", base=1).status_code == 200
    stale = edit(alice_client, project, script_id, "Alice's words.", base=1)
    assert stale.status_code == 409
    assert stale.json()["error_code"] == "MSS.00000006" and "saved since by bob" in stale.json()["error_msg"]
    by_header = alice_client.put(url(project, f"/{script_id}"), {"shoot_scripts": create_composition("X")["shoot_scripts"]},
                                 format="json", HTTP_IF_MATCH='"1"')
    assert by_header.status_code == 409
    fresh = alice_client.put(url(project, f"/{script_id}"), {"shoot_scripts": create_composition("X")["shoot_scripts"]},
                             format="json", HTTP_IF_MATCH='"2"')
    assert fresh.status_code == 200 and fresh["ETag"] == '"3"'
    shown = alice_client.get(url(project, f"/{script_id}")).json()
    assert shown["revision"] == 3 and shown["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] == "X"


def test_revisions_list_diff_and_restore(alice_client, project):
    script_id = save_new(alice_client, project, "One.")
    edit(alice_client, project, script_id, "Two.", base=1)
    revisions = alice_client.get(url(project, f"/{script_id}/revisions")).json()
    assert [r["revision"] for r in revisions["revisions"]] == [2, 1]
    assert all(r["author"] == "alice" for r in revisions["revisions"])
    diff = alice_client.get(url(project, f"/{script_id}/revisions/1/diff/2")).json()
    assert diff["changes"] == [{"path": "shoot_scripts[0].shoot_script.text_config.text",
                                "before": "One.", "after": "Two."}]
    assert '-          "text": "One."' in diff["unified"]
    restored = alice_client.post(url(project, f"/{script_id}/revisions/1/restore"), format="json").json()
    assert restored["revision"] == 3 and restored["restored_from"] == 1
    assert restored["composition"]["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] == "One."
    one = alice_client.get(url(project, f"/{script_id}/revisions/1")).json()
    assert one["content_hash"] == restored["content_hash"]
    assert alice_client.get(url(project, f"/{script_id}/revisions/9")).status_code == 404


def test_restoring_approved_content_keeps_the_approval(alice_client, bob_client, project):
    script_id = save_new(alice_client, project, "Approved words.")
    alice_client.post(url(project, f"/{script_id}/approval-requests"), {}, format="json")
    bob_client.post(url(project, f"/{script_id}/approve"), {}, format="json")
    edit(alice_client, project, script_id, "Unapproved words.", base=1)
    assert submit(alice_client, project, script_id).status_code == 400
    alice_client.post(url(project, f"/{script_id}/revisions/1/restore"), format="json")
    assert submit(alice_client, project, script_id).status_code == 200


def test_approval_rules(alice_client, bob_client, project, bob):
    script_id = save_new(alice_client, project)
    assert bob_client.post(url(project, f"/{script_id}/approve"), {}, format="json").status_code == 409
    alice_client.post(url(project, f"/{script_id}/approval-requests"), {}, format="json")
    assert alice_client.post(url(project, f"/{script_id}/approve"), {}, format="json").status_code == 403
    no_reason = bob_client.post(url(project, f"/{script_id}/reject"), {}, format="json")
    assert no_reason.status_code == 400 and no_reason.json()["error_msg"].startswith("comment:")
    rejected = bob_client.post(url(project, f"/{script_id}/reject"), {"comment": "Too long"}, format="json").json()
    assert rejected["state"] == "REJECTED" and rejected["decision_comment"] == "Too long"
    assert alice_client.get(url(project, f"/{script_id}")).json()["approval"]["state"] == "REJECTED"
    # An edit while a request is pending supersedes it: the approver would not see what renders.
    alice_client.post(url(project, f"/{script_id}/approval-requests"), {}, format="json")
    edit(alice_client, project, script_id, "Edited while pending.", base=1)
    assert bob_client.post(url(project, f"/{script_id}/approve"), {}, format="json").status_code == 409


def test_self_approval_only_where_the_project_allows_it(alice_client, alice, project):
    alice.memberships.filter(project=project).update(role="owner")
    script_id = save_new(alice_client, project)
    alice_client.post(url(project, f"/{script_id}/approval-requests"), {}, format="json")
    own = alice_client.post(url(project, f"/{script_id}/approve"), {}, format="json")
    assert own.status_code == 403 and "does not allow self-approval" in own.json()["error_msg"]
    project.allow_self_approval = True
    project.save()
    assert alice_client.post(url(project, f"/{script_id}/approve"), {}, format="json").json()["state"] == "APPROVED"


def test_content_review_blocks_approval_and_names_words(alice_client, bob_client, project):
    project.review_words = ["guaranteed"]
    project.save()
    script_id = save_new(alice_client, project, "Results guaranteed!")
    response = alice_client.post(url(project, f"/{script_id}/approval-requests"), {}, format="json")
    assert response.status_code == 400
    assert "'guaranteed' in shoot_scripts[0].shoot_script.text_config.text" in response.json()["error_msg"]
    checked = alice_client.post(url(project, "/validate"), create_composition("Results guaranteed!"), format="json").json()
    assert checked["valid"] is True and checked["review_hits"][0]["word"] == "guaranteed"


def test_dry_run_validation_names_the_field_and_ssml_position(alice_client, project):
    bad = create_composition("<speak>Hello <break time='1s'>world</speak>")
    response = alice_client.post(url(project, "/validate"), bad, format="json")
    body = response.json()
    assert response.status_code == 400 and body["valid"] is False
    assert body["field"] == "shoot_scripts[0].shoot_script.text_config.text"
    assert "line 1, column" in body["rule"]
    assert alice_client.post(url(project, "/validate"), create_composition(), format="json").json()["valid"] is True


def test_copy_list_and_delete(alice_client, project):
    script_id = save_new(alice_client, project)
    copied = alice_client.post(url(project, f"/{script_id}/copy"), format="json").json()["script_id"]
    listed = alice_client.get(url(project)).json()
    assert listed["count"] == 2
    assert {s["script_name"] for s in listed["video_scripts"]} == {"Launch", "Launch (copy)"}
    assert alice_client.delete(url(project, f"/{copied}")).status_code == 204
    assert alice_client.get(url(project, f"/{copied}")).status_code == 404
