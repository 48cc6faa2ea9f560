"""Our extensions (fields MetaStudio's reference does not define, e.g. a layer's timing or a text layer's
alignment) are taken out of a body before it is sent to MetaStudio (a second Composer server stands in: what it
received is read back from it), and the job's show answer and page say which."""
from __future__ import annotations

import pytest

from composer.assets.models import Asset
from composer.jobs.models import VideoJob
from composer.jobs.remote import submit_remote
from composer.spec import validate_create_body
from composer.teams.render_target import set_render_target
from tests.support.factories import create_body, text_layer
from tests.support.pages import page_data

pytestmark = pytest.mark.django_db
LAYER = "shoot_scripts[0].shoot_script.layer_config[0]"


@pytest.fixture
def remote_project(standin, remote_allowed, charlie, other_project):
    set_render_target(other_project, {"kind": "metastudio", "endpoint": standin.base, "ak": standin.ak,
                                      "sk": standin.sk, "remote_project_id": standin.project_id}, by=charlie)
    return other_project


def job_with_extensions(project, user) -> VideoJob:
    avatar = Asset.objects.create(project=project, name="Maya", asset_type="HUMAN_MODEL_2D", state="ACTIVED",
                                  source="metastudio", remote_asset_id="avatar-maya")
    layer = text_layer("Summer sale")
    layer["timing"] = {"start": 0.5, "end": 2, "fade_in": 0.2}
    layer["text_config"]["text_align"] = "CENTER"
    body = create_body(model_asset_id=avatar.id, output_asset_config={"asset_name": "With extensions"})
    body["shoot_scripts"][0]["shoot_script"]["layer_config"] = [layer]
    spec = validate_create_body(body)
    spec["script_id"] = "a-script-of-ours"       # a job rendering a script: the id means nothing there
    return VideoJob.objects.create(project=project, created_by=user, spec=spec, asset_name="With extensions",
                                   script_id="a-script-of-ours")


def test_extensions_are_not_sent_and_the_job_says_which(standin, remote_project, charlie, charlie_client, client):
    job = job_with_extensions(remote_project, charlie)
    sent, did_send = submit_remote(job.id)
    assert did_send and sent.remote_job_id, sent.error_msg

    there = standin.api("GET", f"/2d-digital-human-videos/{sent.remote_job_id}",
                        params={"show_script": "true"}).json()
    received = there["shoot_scripts"][0]["shoot_script"]["layer_config"][0]
    assert "timing" not in received and "text_align" not in received["text_config"]
    assert received["text_config"]["font_size"] == job.spec["shoot_scripts"][0]["shoot_script"]["layer_config"][0][
        "text_config"]["font_size"]                                   # the reference's fields are sent
    assert there["script_id"] is None

    shown = charlie_client.get(f"/v1/{remote_project.id}/2d-digital-human-videos/{job.id}").json()
    assert shown["dropped_extensions"] == [f"{LAYER}.text_config.text_align", f"{LAYER}.timing"]

    client.force_login(charlie)
    data = page_data(client.get(f"/p/{remote_project.id}/videos/{job.id}"))
    assert data["metastudio_ignores"] == ["text layer text align (scene 1, layer 1)", "layer timing (scene 1, layer 1)"]


def test_a_local_job_says_nothing_of_extensions(charlie, charlie_client, other_project):
    job = job_with_extensions(other_project, charlie)
    shown = charlie_client.get(f"/v1/{other_project.id}/2d-digital-human-videos/{job.id}").json()
    assert "dropped_extensions" not in shown
