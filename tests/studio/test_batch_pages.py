"""The batches list and the New batch page: what they show, who may open them, and foreign projects unknown."""
from __future__ import annotations

import pytest
from django.urls import reverse

from composer.jobs.models import JobState, VideoBatch, VideoJob
from composer.scripts.approvals import approve, request_approval
from composer.scripts.services import create_script
from composer.teams.models import Membership, Role
from tests.support.factories import create_composition, template_composition
from tests.support.pages import page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(project, django_user_model):
    user = django_user_model.objects.create_user(username="vera", password="x")
    Membership.objects.create(project=project, user=user, role=Role.VIEWER)
    return user


@pytest.fixture
def template(project, alice):
    return create_script(project, {"script_name": "Welcome <new>", **template_composition()}, user=alice)


@pytest.fixture
def approved(project, alice, bob):
    script = create_script(project, {"script_name": "Approved welcome", **template_composition()}, user=alice)
    approve(script, {"request_id": request_approval(script, {}, user=alice).pk, "comment": "ok"}, user=bob)
    return script


def a_batch(project, script, user, states: list[str]) -> VideoBatch:
    batch = VideoBatch.objects.create(project=project, script_id=script.id, script_revision_id=script.head.id,
                                      revision=script.head.number, name=script.name, created_by=user,
                                      rows=[{"row": k + 2, "values": {}, "output_name": f"v{k}"}
                                            for k in range(len(states))])
    for index, state in enumerate(states):
        VideoJob.objects.create(project=project, created_by=user, spec=create_composition(), asset_name=f"v{index}",
                                batch=batch, batch_row=index, state=state)
    return batch


def test_the_list_shows_batches_newest_first_with_counts_by_state(client, project, alice, template):
    older = a_batch(project, template, alice, [JobState.SUCCEED, JobState.FAILED, JobState.SUCCEED])
    newer = a_batch(project, template, alice, [JobState.WAITING])
    client.force_login(alice)
    response = client.get(reverse("batches", args=[project.id]))
    html = response.content.decode()
    assert html.index(f'data-batch="{newer.id}"') < html.index(f'data-batch="{older.id}"')
    assert "Welcome &lt;new&gt;" in html and "data-new-batch" in html
    assert f'href="/p/{project.id}/batches/{older.id}"' in html
    row = html[html.index(f'data-batch="{older.id}"'):]
    assert '<td data-count="SUCCEED">2</td>' in row[:2000] and '<td data-count="FAILED">1</td>' in row[:2000]
    followed = {b["batch_id"]: b["jobs"] for b in page_data(response)["batches"]}
    assert sorted(followed[str(older.id)].values()) == ["FAILED", "SUCCEED", "SUCCEED"]


def test_the_list_pages_like_the_other_lists(client, project, alice, template):
    for _ in range(26):
        a_batch(project, template, alice, [JobState.SUCCEED])
    client.force_login(alice)
    first = client.get(reverse("batches", args=[project.id])).content.decode()
    second = client.get(reverse("batches", args=[project.id]) + "?page=2").content.decode()
    assert first.count("data-batch=") == 25 and second.count("data-batch=") == 1
    assert "Page 1 of 2" in first and 'rel="next"' in first


def test_the_new_batch_page_offers_templates_and_says_which_are_approved(client, project, alice, template, approved):
    create_script(project, {"script_name": "Plain", **create_composition()}, user=alice)
    client.force_login(alice)
    data = page_data(client.get(reverse("batch-start", args=[project.id])))
    offered = {t["script_name"]: t for t in data["templates"]}
    assert set(offered) == {"Welcome <new>", "Approved welcome"}        # a plain script is no template
    assert offered["Approved welcome"]["approved"] and not offered["Welcome <new>"]["approved"]
    assert data["script_id"] == approved.id                              # an approved one is chosen first
    assert [v["name"] for v in offered["Approved welcome"]["variables"]] == ["first_name", "company", "logo"]
    response = client.get(reverse("batch-start", args=[project.id]) + f"?script={template.id}")
    assert page_data(response)["script_id"] == template.id
    # The sample CSV of the chosen template, before any script runs.
    sample = f"/v1/{project.id}/digital-human-video-scripts/{template.id}/rows/sample.csv"
    assert f'href="{sample}" download data-sample-csv' in response.content.decode()


def test_a_template_script_links_to_new_batch_from_the_list_and_the_editor(client, project, alice, viewer,
                                                                           template):
    plain = create_script(project, {"script_name": "Plain", **create_composition()}, user=alice)
    start = f"/p/{project.id}/batches/new?script="
    client.force_login(alice)
    listed = client.get(reverse("scripts", args=[project.id])).content.decode()
    assert f"{start}{template.id}" in listed and f"{start}{plain.id}" not in listed
    assert f"{start}{template.id}" in client.get(reverse("editor", args=[project.id, template.id])).content.decode()
    assert "data-start-batch" not in client.get(reverse("editor", args=[project.id, plain.id])).content.decode()
    assert f'href="/p/{project.id}/batches"' in client.get(reverse("jobs", args=[project.id])).content.decode()
    client.force_login(viewer)      # a viewer may not render: no link to a page that would refuse them
    assert start not in client.get(reverse("scripts", args=[project.id])).content.decode()


def test_a_viewer_sees_batches_but_cannot_start_one(client, project, viewer, template):
    client.force_login(viewer)
    listed = client.get(reverse("batches", args=[project.id]))
    assert listed.status_code == 200 and "data-new-batch" not in listed.content.decode()
    assert client.get(reverse("batch-start", args=[project.id])).status_code == 403


def test_another_projects_batch_pages_are_unknown(client, project, other_project, charlie, alice, template):
    client.force_login(charlie)
    for name in ("batches", "batch-start"):
        assert client.get(reverse(name, args=[project.id])).status_code == 404
    assert client.get(reverse("batch-start", args=[other_project.id]) + f"?script={template.id}").status_code == 200
    offered = page_data(client.get(reverse("batch-start", args=[other_project.id]) + f"?script={template.id}"))
    assert offered["templates"] == [] and offered["script_id"] == ""
