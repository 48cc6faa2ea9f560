"""The official Huawei Cloud SDK, unchanged, against a live Composer server: AK/SK signing end to end."""
from __future__ import annotations

import json

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkmetastudio.v1 import (
    Cancel2DDigitalHumanVideoRequest,
    Create2DDigitalHumanVideoReq,
    Create2DDigitalHumanVideoRequest,
    ListDigitalHumanVideoRequest,
    Show2DDigitalHumanVideoRequest,
)

from composer.jobs.models import JobState, VideoJob
from composer.teams.services import create_access_key
from tests.support.factories import create_body
from tests.support.sdk import sdk_client

pytestmark = pytest.mark.django_db(transaction=True)


def sdk_body() -> Create2DDigitalHumanVideoReq:
    # Let the SDK's own model classes carry the body, as a client program would.
    from huaweicloudsdkmetastudio.v1 import (
        BackgroundConfigInfo,
        OutputAssetConfig,
        ShootScript,
        ShootScriptItem,
        TextConfig,
        VideoConfig,
        VoiceConfig,
    )

    plain = create_body()
    scene = plain["shoot_scripts"][0]["shoot_script"]
    return Create2DDigitalHumanVideoReq(
        model_asset_id=plain["model_asset_id"],
        voice_config=VoiceConfig(**plain["voice_config"]),
        video_config=VideoConfig(**plain["video_config"]),
        shoot_scripts=[ShootScriptItem(sequence_no=0, shoot_script=ShootScript(
            script_type="TEXT", text_config=TextConfig(text="Hello from the SDK."),
            background_config=[BackgroundConfigInfo(**scene["background_config"][0])]))],
        output_asset_config=OutputAssetConfig(asset_name="SDK video"),
    )


@pytest.fixture
def client(live_server, alice_key, project):
    return sdk_client(live_server, alice_key.ak, alice_key.sk, project.id)


def test_the_sdk_creates_shows_lists_and_cancels(client):
    created = client.create2_d_digital_human_video(
        Create2DDigitalHumanVideoRequest(x_app_user_id="sdk-user", body=sdk_body()))
    job_id = created.job_id
    assert created.x_request_id
    job = VideoJob.objects.get(pk=job_id)
    assert job.app_user_id == "sdk-user"
    assert job.spec["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] == "Hello from the SDK."

    shown = client.show2_d_digital_human_video(Show2DDigitalHumanVideoRequest(job_id=job_id, show_script=True))
    assert shown.job_id == job_id
    assert shown.state in {"WAITING", "PROCESSING", "SUCCEED"}
    assert shown.output_asset_config.asset_name == "SDK video"
    assert shown.shoot_scripts[0].shoot_script.text_config.text == "Hello from the SDK."

    listed = client.list_digital_human_video(ListDigitalHumanVideoRequest(limit=5, offset=0, sort_dir="desc",
                                                                          state="WAITING,PROCESSING,SUCCEED"))
    assert listed.count >= 1
    assert job_id in [j.job_id for j in listed.jobs]

    client.cancel2_d_digital_human_video(Cancel2DDigitalHumanVideoRequest(job_id=job_id))
    assert VideoJob.objects.get(pk=job_id).state == JobState.CANCELED


def test_the_sdk_sees_parameter_errors_in_metastudio_form(client):
    body = sdk_body()
    body.video_config.bitrate = 100
    with pytest.raises(ClientRequestException) as caught:
        client.create2_d_digital_human_video(Create2DDigitalHumanVideoRequest(body=body))
    assert caught.value.status_code == 400
    assert caught.value.error_code == "MSS.00000003"
    assert "video_config.bitrate" in caught.value.error_msg


def _expect_refused(client, status: int) -> str:
    with pytest.raises(ClientRequestException) as caught:
        client.list_digital_human_video(ListDigitalHumanVideoRequest())
    assert caught.value.status_code == status
    return caught.value.error_msg


def test_a_wrong_sk_is_refused(live_server, alice_key, project):
    msg = _expect_refused(sdk_client(live_server, alice_key.ak, alice_key.sk + "x", project.id), 401)
    assert "signature" in msg


def test_an_unknown_ak_is_refused(live_server, alice_key, project):
    _expect_refused(sdk_client(live_server, "NOSUCHKEY", alice_key.sk, project.id), 401)


def test_a_revoked_key_is_refused(live_server, alice_key, alice, project):
    from composer.teams.services import revoke_access_key

    revoke_access_key(alice_key, user=alice)
    _expect_refused(sdk_client(live_server, alice_key.ak, alice_key.sk, project.id), 401)


def test_another_projects_key_is_forbidden(live_server, charlie, other_project, project):
    key = create_access_key(charlie, other_project)
    # Charlie's key signs correctly, but for a project it is not bound to.
    msg = _expect_refused(sdk_client(live_server, key.ak, key.sk, project.id), 403)
    assert "another project" in msg or "not a member" in msg


def test_a_stale_date_is_refused(live_server, alice_key, project):
    import httpx
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    path = f"/v1/{project.id}/digital-human-videos"
    host = live_server.url.split("://", 1)[1]
    request = SdkRequest(method="GET", schema="http", host=host, resource_path=path, uri=path,
                         query_params=[], header_params={"X-Sdk-Date": "20200101T000000Z",
                                                         "X-Project-Id": project.id,
                                                         "Content-Type": "application/json"}, body="")
    signed = Signer(BasicCredentials(alice_key.ak, alice_key.sk)).sign(request)
    response = httpx.get(live_server.url + path, headers=signed.header_params)
    assert response.status_code == 401
    assert "X-Sdk-Date" in response.json()["error_msg"]


def test_a_tampered_body_is_refused(live_server, alice_key, project):
    import httpx
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    path = f"/v1/{project.id}/2d-digital-human-videos"
    host = live_server.url.split("://", 1)[1]
    body = json.dumps(create_body())
    request = SdkRequest(method="POST", schema="http", host=host, resource_path=path, uri=path, query_params=[],
                         header_params={"X-Project-Id": project.id, "Content-Type": "application/json"}, body=body)
    signed = Signer(BasicCredentials(alice_key.ak, alice_key.sk)).sign(request)
    tampered = body.replace("Hello.", "Goodbye.")
    response = httpx.post(live_server.url + path, headers=signed.header_params, content=tampered)
    assert response.status_code == 401
    assert "signature" in response.json()["error_msg"]
    # The untampered request with the same signature goes through.
    ok = httpx.post(live_server.url + path, headers=signed.header_params, content=body)
    assert ok.status_code == 200, ok.text
