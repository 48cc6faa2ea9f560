"""URL fields are checked when the job is submitted, with the same guard the fetcher and the callback use, and the
reference's fields this server does not honour are refused rather than silently ignored."""
from __future__ import annotations

import pytest

from composer.jobs.models import VideoJob
from tests.support.factories import create_body

pytestmark = pytest.mark.django_db


def submit(client, project, body):
    return client.post(f"/v1/{project.id}/2d-digital-human-videos", body, format="json",
                       HTTP_X_APP_USERID="tester")


def with_image_layer(url: str) -> dict:
    body = create_body()
    body["shoot_scripts"][0]["shoot_script"]["layer_config"] = [{
        "layer_type": "IMAGE", "position": {"dx": 0, "dy": 0, "layer_index": 1},
        "size": {"width": 200, "height": 200}, "image_config": {"image_url": url}}]
    return body


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/hook", "http://localhost/hook", "http://10.1.2.3/hook",
                                 "http://169.254.169.254/latest/meta-data/", "http://[::1]/hook",
                                 "http://[::ffff:127.0.0.1]/hook", "http://2130706433/hook", "http://0x7f.1/hook"])
def test_a_callback_to_a_private_address_is_refused_at_submit(alice_client, project, url):
    response = submit(alice_client, project, create_body(callback_config={"callback_url": url}))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error_code"] == "MSS.00000003"
    assert body["error_msg"].startswith("callback_config.callback_url")
    assert "non-public address" in body["error_msg"]
    assert not VideoJob.objects.exists()


def test_a_layer_picture_on_the_metadata_address_is_refused_at_submit(alice_client, project):
    response = submit(alice_client, project, with_image_layer("http://169.254.169.254/latest/meta-data/x.png"))
    assert response.status_code == 400
    assert "layer_config[0].image_config.image_url" in response.json()["error_msg"]


def test_a_name_that_does_not_resolve_yet_is_left_to_the_fetch(alice_client, project):
    # The fetch checks again; DNS being down for a moment must not refuse a job.
    response = submit(alice_client, project, create_body(callback_config={"callback_url": "https://hooks.invalid/x"}))
    assert response.status_code == 200, response.content


def test_private_addresses_pass_where_the_operator_allows_them(settings, alice_client, project):
    settings.COMPOSER_FETCH_ALLOW_PRIVATE = True
    response = submit(alice_client, project, create_body(callback_config={"callback_url": "http://127.0.0.1/hook"}))
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://example.com/", "ftp://example.com/x"])
def test_other_schemes_are_refused_by_form(alice_client, project, url):
    response = submit(alice_client, project, create_body(callback_config={"callback_url": url}))
    assert response.status_code == 400
    assert "http:// or https://" in response.json()["error_msg"]


def test_an_external_upload_url_is_refused_with_where_the_video_is_instead(alice_client, project):
    body = create_body()
    body["video_config"]["output_external_url"] = "https://bucket.example.com/upload"
    response = submit(alice_client, project, body)
    assert response.status_code == 400
    message = response.json()["error_msg"]
    assert message.startswith("video_config.output_external_url") and "preview_video_url" in message
    body["video_config"]["output_external_url"] = ""
    assert submit(alice_client, project, body).status_code == 200


def test_subtitle_file_urls_are_refused(alice_client, project):
    body = create_body()
    body["shoot_scripts"][0]["subtitle_file_info"] = {
        "text_subtitle_file": {"subtitle_file_download_url": "file:///etc/passwd"}}
    response = submit(alice_client, project, body)
    assert response.status_code == 400
    message = response.json()["error_msg"]
    assert "subtitle_file_download_url" in message and "subtitle_srt_url" in message


def test_the_schema_says_which_fields_are_not_offered(client):
    schema = client.get("/v1/openapi.json").json()
    text = str(schema)
    assert "Not offered by this server" in text
