"""The MetaStudio video endpoints with X-Auth-Token: create, show, list, cancel, project scoping."""
from __future__ import annotations

import pytest

from composer.jobs.models import JobState, VideoJob
from tests.support.factories import create_body

pytestmark = pytest.mark.django_db


def url(project, suffix: str = "") -> str:
    return f"/v1/{project.id}/2d-digital-human-videos{suffix}"


def create(client, project, body=None, **headers):
    return client.post(url(project), body if body is not None else create_body(), format="json", **headers)


def test_it_creates_a_waiting_job_with_defaults_applied(alice_client, project):
    response = create(alice_client, project, HTTP_X_APP_USERID="crm-42")
    assert response.status_code == 200, response.content
    assert response["X-Request-Id"]
    job = VideoJob.objects.get(pk=response.json()["job_id"])
    assert job.state == JobState.WAITING
    assert job.app_user_id == "crm-42"
    assert job.spec["video_config"]["clip_mode"] == "RESIZE"
    assert job.spec["shoot_scripts"][0]["shoot_script"]["script_type"] == "TEXT"
    assert job.asset_name == "API test video"


def test_it_normalises_frame_rate_30_to_25(alice_client, project):
    body = create_body()
    body["video_config"]["frame_rate"] = "30"
    job_id = create(alice_client, project, body).json()["job_id"]
    assert VideoJob.objects.get(pk=job_id).spec["video_config"]["frame_rate"] == "25"


def test_it_names_the_field_and_rule_of_a_bad_body(alice_client, project):
    body = create_body()
    body["shoot_scripts"][0]["shoot_script"]["layer_config"] = [
        {"layer_type": "IMAGE", "position": {"dx": 0, "dy": 0, "layer_index": 1}, "asset_id": "x"},
        {"layer_type": "TEXT", "position": {"dx": 0, "dy": 0, "layer_index": 0},
         "text_config": {"text_context": "aGk="}},
    ]
    response = create(alice_client, project, body)
    assert response.status_code == 400
    payload = response.json()
    assert payload["error_code"] == "MSS.00000003"
    assert "shoot_scripts[0].shoot_script.layer_config[1].position.layer_index" in payload["error_msg"]
    assert VideoJob.objects.count() == 0


def test_it_refuses_chinese_in_x_app_userid(alice_client, project):
    response = create(alice_client, project, HTTP_X_APP_USERID="用户")
    assert response.status_code == 400
    assert "X-App-UserId" in response.json()["error_msg"]


def test_it_shows_a_job_with_and_without_script(alice_client, project):
    job_id = create(alice_client, project).json()["job_id"]
    shown = alice_client.get(url(project, f"/{job_id}")).json()
    assert shown["job_id"] == job_id
    assert shown["state"] == "WAITING"
    assert shown["job_type"] == "2D_DIGITAL_HUMAN_VIDEO"
    assert shown["output_asset_config"]["asset_name"] == "API test video"
    assert shown["create_time"].endswith("Z")
    assert "shoot_scripts" not in shown
    with_script = alice_client.get(url(project, f"/{job_id}?show_script=true")).json()
    assert with_script["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] == "Hello."
    assert with_script["video_config"]["width"] == 1920


def test_it_cancels_a_waiting_job_once(alice_client, project):
    job_id = create(alice_client, project).json()["job_id"]
    assert alice_client.post(url(project, f"/{job_id}/cancel")).status_code == 200
    assert VideoJob.objects.get(pk=job_id).state == JobState.CANCELED
    again = alice_client.post(url(project, f"/{job_id}/cancel"))
    assert again.status_code == 400
    assert "already CANCELED" in again.json()["error_msg"]


def test_it_lists_with_filters_paging_and_sorting(alice_client, project):
    ids = [create(alice_client, project).json()["job_id"] for _ in range(3)]
    alice_client.post(url(project, f"/{ids[0]}/cancel"))
    listing = alice_client.get(f"/v1/{project.id}/digital-human-videos?limit=2&sort_dir=asc").json()
    assert listing["count"] == 3
    assert [j["job_id"] for j in listing["jobs"]] == ids[:2]
    assert listing["videos"] == listing["jobs"]
    waiting = alice_client.get(f"/v1/{project.id}/digital-human-videos?state=WAITING").json()
    assert {j["job_id"] for j in waiting["jobs"]} == set(ids[1:])
    newest = alice_client.get(f"/v1/{project.id}/digital-human-videos?sort_dir=desc&limit=1").json()
    assert newest["jobs"][0]["job_id"] == ids[2]
    one = alice_client.get(f"/v1/{project.id}/digital-human-videos?job_id={ids[1]}").json()
    assert [j["job_id"] for j in one["jobs"]] == [ids[1]]
    future = alice_client.get(f"/v1/{project.id}/digital-human-videos?create_since=2999-01-01T00:00:00Z").json()
    assert future["count"] == 0
    # The count is every match, on the last page and past it too.
    last = alice_client.get(f"/v1/{project.id}/digital-human-videos?offset=2&limit=2&sort_dir=asc").json()
    assert last["count"] == 3 and [j["job_id"] for j in last["jobs"]] == ids[2:]
    past = alice_client.get(f"/v1/{project.id}/digital-human-videos?offset=5").json()
    assert past["count"] == 3 and past["jobs"] == []
    assert alice_client.get(f"/v1/{project.id}/digital-human-videos?state=WAITING&offset=2").json()["count"] == 2


@pytest.mark.parametrize("query, field", [
    ("limit=0", "limit"), ("limit=abc", "limit"), ("offset=-1", "offset"), ("state=DONE", "state"),
    ("sort_key=name", "sort_key"), ("sort_dir=up", "sort_dir"), ("create_since=yesterday", "create_since"),
    # Times that exist in their zone but not in UTC, where they are stored (the schema fuzzer found these 500s).
    ("create_since=0001-01-01T00:00:00%2B14:00", "create_since"), ("create_until=9999-12-31T23:59:59-12:00",
                                                                    "create_until"),
    # 32 to 36 hex digits and dashes, but no UUID (also found by the fuzzer).
    ("job_ids=FDdEDb3699Db3086a4-E9-BBd44CF0cABce3", "job_ids"), ("job_id=" + "a" * 34, "job_id"),
])
def test_it_rejects_bad_list_parameters(alice_client, project, query, field):
    response = alice_client.get(f"/v1/{project.id}/digital-human-videos?{query}")
    assert response.status_code == 400
    assert response.json()["error_msg"].startswith(field)


def test_it_hides_other_projects(alice_client, charlie_client, project, other_project):
    job_id = create(alice_client, project).json()["job_id"]
    assert charlie_client.get(url(project, f"/{job_id}")).status_code == 403
    assert charlie_client.get(url(other_project, f"/{job_id}")).status_code == 404
    assert charlie_client.post(url(other_project, f"/{job_id}/cancel")).status_code == 404
    assert charlie_client.get(f"/v1/{other_project.id}/digital-human-videos").json()["count"] == 0


def test_it_returns_404_json_for_an_unknown_job(alice_client, project):
    response = alice_client.get(url(project, "/00000000-0000-0000-0000-000000000000"))
    assert response.status_code == 404
    assert response.json()["error_code"] == "MSS.00000005"
    assert alice_client.get(url(project, "/not-a-uuid")).status_code == 404


def test_a_viewer_cannot_create_but_can_list(project, django_user_model):
    from composer.teams.models import Membership, Role
    from tests.support.users import make_user, token_client

    viewer = make_user(django_user_model, "vera")
    Membership.objects.create(project=project, user=viewer, role=Role.VIEWER)
    client = token_client(viewer)
    response = create(client, project)
    assert response.status_code == 403
    assert "job.create" in response.json()["error_msg"]
    assert client.get(f"/v1/{project.id}/digital-human-videos").status_code == 200
