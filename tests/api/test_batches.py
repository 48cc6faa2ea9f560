"""Batches through the API: a template's approved revision rendered once per row, refused as a whole when any
row is bad, followed, canceled and retried; other projects' batches are unknown."""
from __future__ import annotations

import base64
import csv
import io
import zipfile

import av
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from composer.jobs.models import JobState, VideoBatch, VideoJob
from composer.scripts.models import ApprovalRequest, ApprovalState, Script
from composer.teams.models import AuditEntry, Membership, Project, Role
from tests.support.factories import template_composition
from tests.support.finished import finished_video
from tests.support.script_api import url
from tests.support.users import make_user, token_client

pytestmark = pytest.mark.django_db

BLUE, WARM = "bg-studio-blue-landscape", "bg-warm-office-landscape"
ROWS = [{"first_name": "Ann", "company": "Smith & Sons", "logo": WARM},
        {"first_name": "Bo", "company": "Acme <Labs>", "logo": BLUE}]


def approve(script_id: str) -> None:
    script = Script.objects.select_related("head").get(pk=script_id)
    ApprovalRequest.objects.create(script=script, revision=script.head, content_hash=script.head.content_hash,
                                   state=ApprovalState.APPROVED)


@pytest.fixture
def template_id(alice_client, project) -> str:
    response = alice_client.post(url(project), {"script_name": "Welcome", **template_composition()}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["script_id"]


@pytest.fixture
def approved_id(template_id) -> str:
    approve(template_id)
    return template_id


def batches_url(project, rest: str = "") -> str:
    return f"/v1/{project.id}/video-batches{rest}"


def create(client, project, **body):
    return client.post(batches_url(project), body, format="json")


def scene(job: VideoJob) -> dict:
    return job.spec["shoot_scripts"][0]["shoot_script"]


def test_a_batch_makes_one_named_job_per_row_with_its_values(alice_client, project, approved_id):
    response = create(alice_client, project, script_id=approved_id, rows=ROWS)
    assert response.status_code == 200, response.content
    body = response.json()
    jobs = [VideoJob.objects.get(pk=job_id) for job_id in body["job_ids"]]
    assert [job.asset_name for job in jobs] == ["Welcome Ann", "Welcome Bo"]
    assert [job.batch_row for job in jobs] == [0, 1]
    assert all(str(job.batch_id) == body["batch_id"] and job.state == JobState.WAITING for job in jobs)
    assert scene(jobs[0])["text_config"]["text"] == "<speak>Hello Ann, welcome to Smith &amp; Sons.</speak>"
    assert scene(jobs[1])["text_config"]["text"] == "<speak>Hello Bo, welcome to Acme &lt;Labs&gt;.</speak>"
    layers = [[layer for layer in scene(job)["layer_config"] if layer["layer_type"] == "TEXT"][0] for job in jobs]
    assert [base64.b64decode(layer["text_config"]["text_context"]).decode() for layer in layers] == \
        ["Smith & Sons", "Acme <Labs>"]
    assert [[layer["asset_id"] for layer in scene(job)["layer_config"] if layer["layer_type"] == "IMAGE"]
            for job in jobs] == [[WARM], [BLUE]]
    assert "template" not in jobs[0].spec
    script = Script.objects.get(pk=approved_id)
    assert {job.script_revision_id for job in jobs} == {script.head.id}
    assert AuditEntry.objects.filter(project=project, action="batch.create", object_id=body["batch_id"]).exists()

    shown = alice_client.get(batches_url(project, f"/{body['batch_id']}")).json()
    assert shown["count"] == 2 and shown["counts"]["WAITING"] == 2 and shown["revision"] == 1
    assert [(row["job_id"], row["state"], row["output_name"]) for row in shown["rows"]] == \
        [(body["job_ids"][0], "WAITING", "Welcome Ann"), (body["job_ids"][1], "WAITING", "Welcome Bo")]
    assert shown["rows"][0]["values"] == {"first_name": "Ann", "company": "Smith & Sons", "logo": WARM}
    listed = alice_client.get(batches_url(project)).json()
    assert listed["count"] == 1 and listed["batches"][0]["batch_id"] == body["batch_id"]


def test_one_bad_row_refuses_the_batch_naming_every_bad_row(alice_client, project, approved_id):
    response = create(alice_client, project, script_id=approved_id, rows=[
        ROWS[0], {"first_name": "", "company": "x" * 31, "logo": WARM}, ROWS[1],
        {"first_name": "Cy", "company": "Acme", "logo": "bg-night-gradient-landscape"}])
    assert response.status_code == 400
    message = response.json()["error_msg"]
    assert message.startswith("rows: 2 of 4 rows refused, nothing was created: ")
    assert "row 2: column first_name, variable first_name, rule missing" in message
    assert "column company, variable company, rule too_long" in message
    assert "row 4: column logo, variable logo, rule not_allowed" in message
    assert "row 1:" not in message and "row 3:" not in message
    assert not VideoBatch.objects.exists() and not VideoJob.objects.exists()


def test_a_csv_upload_with_a_mapping_makes_a_batch(alice_client, project, approved_id):
    data = f"Name,Firm,logo\nAnn,Acme,{WARM}\nBo,Beta,{BLUE}\n".encode()
    response = alice_client.post(batches_url(project), {
        "script_id": approved_id, "file": SimpleUploadedFile("rows.csv", data),
        "mapping": '{"Name": "first_name", "Firm": "company"}'}, format="multipart")
    assert response.status_code == 200, response.content
    names = VideoJob.objects.filter(pk__in=response.json()["job_ids"]).values_list("asset_name", flat=True)
    assert sorted(names) == ["Welcome Ann", "Welcome Bo"]


def test_pasted_csv_makes_a_batch(alice_client, project, approved_id):
    response = create(alice_client, project, script_id=approved_id,
                      csv=f"first_name,company,logo\nAnn,Acme,{WARM}\n")
    assert response.status_code == 200, response.content
    assert len(response.json()["job_ids"]) == 1


def test_only_an_approved_revision_is_batched(alice_client, project, template_id):
    response = create(alice_client, project, script_id=template_id, rows=ROWS)
    assert response.status_code == 400
    assert response.json()["error_msg"].startswith(f"script_id: script {template_id} revision 1 is not approved")
    assert not VideoJob.objects.exists()


def test_a_missing_script_or_no_rows_is_refused_naming_the_field(alice_client, project, approved_id):
    assert create(alice_client, project, rows=ROWS).json()["error_msg"].startswith("script_id: is required")
    assert create(alice_client, project, script_id="nope", rows=ROWS).json()["error_msg"] == \
        "script_id: no video script nope in this project"
    assert create(alice_client, project, script_id=approved_id).json()["error_msg"].startswith("rows: give rows")
    too_many = create(alice_client, project, script_id=approved_id, rows=[ROWS[0]] * 1001)
    assert too_many.status_code == 400 and "at most 1000 rows" in too_many.json()["error_msg"]


def test_cancel_stops_the_jobs_not_yet_final(alice_client, project, approved_id):
    body = create(alice_client, project, script_id=approved_id, rows=ROWS).json()
    VideoJob.objects.filter(pk=body["job_ids"][0]).update(state=JobState.SUCCEED)
    response = alice_client.post(batches_url(project, f"/{body['batch_id']}/cancel"), {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"canceled": 1}
    assert [VideoJob.objects.get(pk=pk).state for pk in body["job_ids"]] == ["SUCCEED", "CANCELED"]
    assert VideoJob.objects.get(pk=body["job_ids"][1]).cancel_requested
    assert AuditEntry.objects.filter(project=project, action="batch.cancel").exists()
    shown = alice_client.get(batches_url(project, f"/{body['batch_id']}")).json()
    assert (shown["counts"]["SUCCEED"], shown["counts"]["CANCELED"]) == (1, 1)


def test_retry_makes_new_jobs_for_failed_rows_only(alice_client, project, approved_id):
    body = create(alice_client, project, script_id=approved_id, rows=ROWS).json()
    first, second = body["job_ids"]
    VideoJob.objects.filter(pk=first).update(state=JobState.SUCCEED)
    VideoJob.objects.filter(pk=second).update(state=JobState.FAILED, error_code="MSS.00000001")
    response = alice_client.post(batches_url(project, f"/{body['batch_id']}/retry"), {}, format="json")
    assert response.status_code == 200, response.content
    [new_id] = response.json()["job_ids"]
    new, old = VideoJob.objects.get(pk=new_id), VideoJob.objects.get(pk=second)
    assert (new.batch_row, new.state, new.asset_name, new.spec) == (1, JobState.WAITING, "Welcome Bo", old.spec)
    shown = alice_client.get(batches_url(project, f"/{body['batch_id']}")).json()
    assert [row["job_id"] for row in shown["rows"]] == [first, new_id]
    assert (shown["counts"]["SUCCEED"], shown["counts"]["WAITING"], shown["counts"]["FAILED"]) == (1, 1, 0)
    again = alice_client.post(batches_url(project, f"/{body['batch_id']}/retry"), {}, format="json")
    assert again.status_code == 400 and "no failed rows" in again.json()["error_msg"]


def test_a_viewer_may_look_but_not_start_or_cancel(alice_client, project, approved_id, django_user_model):
    viewer = make_user(django_user_model, "vera")
    Membership.objects.create(project=project, user=viewer, role=Role.VIEWER)
    client = token_client(viewer)
    assert create(client, project, script_id=approved_id, rows=ROWS).status_code == 403
    body = create(alice_client, project, script_id=approved_id, rows=ROWS).json()
    assert client.get(batches_url(project, f"/{body['batch_id']}")).status_code == 200
    assert client.post(batches_url(project, f"/{body['batch_id']}/cancel"), {}, format="json").status_code == 403
    assert client.post(batches_url(project, f"/{body['batch_id']}/retry"), {}, format="json").status_code == 403


def test_another_projects_batch_is_unknown(alice_client, project, approved_id, alice):
    body = create(alice_client, project, script_id=approved_id, rows=ROWS).json()
    other = Project.objects.create(name="other", require_approval=False)
    Membership.objects.create(project=other, user=alice, role=Role.EDITOR)
    for suffix in ("", "/cancel", "/retry"):
        call = alice_client.get if not suffix else alice_client.post
        response = call(batches_url(other, f"/{body['batch_id']}{suffix}"), {}, format="json") if suffix else \
            call(batches_url(other, f"/{body['batch_id']}"))
        assert response.status_code == 404, suffix
        assert response.json()["error_msg"] == f"batch_id: no video batch {body['batch_id']} in this project"
    assert alice_client.get(batches_url(other)).json() == {"count": 0, "batches": []}


def test_the_finished_videos_download_as_one_zip_and_the_rows_as_a_csv(alice_client, alice, project, approved_id):
    body = create(alice_client, project, script_id=approved_id, rows=[
        {"first_name": "=cmd", "company": "Acme", "logo": WARM}, ROWS[1]]).json()
    done = finished_video(project, alice, "Welcome =cmd")
    done.batch_id, done.batch_row = body["batch_id"], 0
    done.save(update_fields=["batch", "batch_row"])
    response = alice_client.get(batches_url(project, f"/{body['batch_id']}/videos.zip"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response.streaming
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == ["0001 Welcome =cmd.mp4"]
    assert archive.getinfo("0001 Welcome =cmd.mp4").compress_type == zipfile.ZIP_STORED
    with av.open(io.BytesIO(archive.read("0001 Welcome =cmd.mp4"))) as container:
        assert sum(1 for _ in container.decode(video=0)) > 0

    links = alice_client.get(batches_url(project, f"/{body['batch_id']}/links.csv"))
    assert links.status_code == 200 and links["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(links.content.decode())))
    assert lines[0] == ["row", "first_name", "company", "logo", "video_name", "job_id", "state", "page_url",
                        "video_url"]
    assert lines[1][:7] == ["1", "'=cmd", "Acme", WARM, "Welcome =cmd", str(done.id), "SUCCEED"]
    assert lines[1][7].endswith(f"/p/{project.id}/videos/{done.id}") and lines[1][8].startswith("http")
    assert lines[2][5:7] == [body["job_ids"][1], "WAITING"] and lines[2][8] == ""
