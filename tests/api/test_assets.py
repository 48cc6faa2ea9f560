"""The digital-assets API: presets for everyone, uploads checked, rejected files leave nothing behind."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from composer.assets.models import Asset, AssetState
from tests.support.factories import create_body
from tests.support.media import mp4_bytes, pixel_bomb_png, png_bytes, voice_zip, zip_bytes
from tests.support.uploads import upload

pytestmark = pytest.mark.django_db


def url(project, rest: str = "") -> str:
    return f"/v1/{project.id}/digital-assets{rest}"


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_it_lists_presets_and_project_assets(alice_client, project):
    listed = alice_client.get(url(project), {"limit": 100}).json()
    presets = [a for a in listed["assets"] if "preset" in a["tags"]]
    assert presets and all(a["asset_state"] == "ACTIVED" for a in presets)
    assert {"HUMAN_MODEL_2D", "VOICE_MODEL", "IMAGE", "MUSIC"} <= {a["asset_type"] for a in presets}
    only_project = alice_client.get(url(project), {"include_presets": "false"}).json()
    assert only_project == {"count": 0, "assets": []}


def test_it_uploads_an_image_in_one_step(alice_client, project, settings):
    response = upload(alice_client, project, png_bytes((640, 360)), "<i>logo & co.png", "IMAGE", tags="brand, logo")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["asset_state"] == "ACTIVED" and body["tags"] == ["brand", "logo"]
    assert body["file_name"] == "<i>logo & co.png"
    assert body["asset_extra_meta"]["image_meta"]["width"] == 640
    asset = Asset.objects.get(pk=body["asset_id"])
    # Stored under generated names: the user's file name is only data.
    assert "logo" not in asset.file.name and asset.file.name.endswith(".png")
    assert asset.cover.name.endswith(".jpg")
    assert alice_client.get(body["cover_url"]).status_code == 200
    shown = alice_client.get(url(project, f"/{asset.id}")).json()
    assert shown["files"][0]["file_size"] == len(png_bytes((640, 360)))


@pytest.mark.parametrize(("data", "name", "asset_type", "rule"), [
    (pixel_bomb_png(), "bomb.png", "IMAGE", "pixels"),
    (b"GIF89a" + b"\0" * 40, "fake.png", "IMAGE", "not a recognised format"),
    (zip_bytes({"../escape.onnx": b"x"}), "slip.zip", "VOICE_MODEL", "outside the archive"),
    (b"\0\0\0\x20ftypisom" + b"\0" * 400, "broken.mp4", "VIDEO", "media"),
])
def test_a_rejected_upload_leaves_nothing_behind(alice_client, project, settings, data, name, asset_type, rule):
    response = upload(alice_client, project, data, name, asset_type)
    assert response.status_code == 400
    assert response.json()["error_msg"].startswith("file: ") and rule in response.json()["error_msg"]
    assert not Asset.objects.exists()
    assert stored_files(settings) == []


def test_an_oversized_zip_is_refused_and_removed(alice_client, project, settings, monkeypatch):
    from composer.assets import checks

    monkeypatch.setitem(checks.ZIP_MAX_UNPACKED, "VOICE_MODEL", 10_000)
    response = upload(alice_client, project, zip_bytes({"v.onnx": b"\0" * 50_000, "v.onnx.json": b"{}"}), "v.zip",
                      "VOICE_MODEL")
    assert response.status_code == 400 and "unpacks to more than" in response.json()["error_msg"]
    assert not Asset.objects.exists() and stored_files(settings) == []


def test_an_upload_over_the_type_limit_is_stopped_while_it_arrives(alice_client, project, monkeypatch):
    from composer.assets import checks

    monkeypatch.setitem(checks.SIZE_LIMITS, "IMAGE", 1024)
    form = {"file": SimpleUploadedFile("big.png", png_bytes((400, 400)) + b"\0" * 4096), "asset_name": "big",
            "asset_type": "IMAGE"}
    response = alice_client.post(url(project, "/upload") + "?asset_type=IMAGE", form, format="multipart")
    assert response.status_code == 400 and "file:" in response.json()["error_msg"]


def test_two_step_create_then_upload_and_failed_state(alice_client, project, settings, tmp_path):
    created = alice_client.post(url(project), {"asset_name": "Intro", "asset_type": "VIDEO"}, format="json").json()
    asset_id = created["asset_id"]
    assert alice_client.get(url(project, f"/{asset_id}")).json()["asset_state"] == "CREATING"
    bad = alice_client.post(url(project, f"/{asset_id}/file"), {"file": SimpleUploadedFile("x.mp4", png_bytes())},
                            format="multipart")
    assert bad.status_code == 400
    failed = alice_client.get(url(project, f"/{asset_id}")).json()
    assert failed["asset_state"] == "FAILED" and "the content is PNG" in failed["reason"]
    assert stored_files(settings) == []
    good = alice_client.post(url(project, f"/{asset_id}/file"),
                             {"file": SimpleUploadedFile("x.mp4", mp4_bytes(tmp_path / "c.mp4", frames=30))},
                             format="multipart")
    assert good.status_code == 200, good.content
    body = good.json()
    assert body["asset_state"] == "ACTIVED" and body["duration"] == pytest.approx(1.2, abs=0.05)
    assert body["asset_extra_meta"]["video_meta"]["width"] == 64
    assert [f["asset_file_category"] for f in body["files"]] == ["MAIN", "COVER"]


def test_a_voice_zip_becomes_a_piper_voice(alice_client, project):
    body = upload(alice_client, project, voice_zip(), "voice.zip", "VOICE_MODEL").json()
    asset = Asset.objects.get(pk=body["asset_id"])
    assert asset.file.path.endswith(".onnx") and Path(asset.meta["config_path"]).exists()
    assert asset.meta["language"] == "en_GB"
    assert "config_path" not in body["meta"]


def test_it_updates_and_soft_deletes(alice_client, project, settings, django_capture_on_commit_callbacks):
    asset_id = upload(alice_client, project, png_bytes(), "a.png", "IMAGE").json()["asset_id"]
    changed = alice_client.put(url(project, f"/{asset_id}"), {"asset_name": "Logo", "tags": ["x"]}, format="json")
    assert changed.json()["asset_name"] == "Logo" and changed.json()["tags"] == ["x"]
    assert len(stored_files(settings)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert alice_client.delete(url(project, f"/{asset_id}")).status_code == 204
    assert Asset.objects.get(pk=asset_id).state == AssetState.DELETED
    assert stored_files(settings) == []
    assert alice_client.get(url(project), {"include_presets": "false"}).json()["count"] == 0
    deleted = alice_client.get(url(project), {"include_presets": "false", "asset_state": "DELETED"}).json()
    assert [a["asset_id"] for a in deleted["assets"]] == [asset_id]


def test_presets_cannot_be_edited_or_deleted(alice_client, project):
    for response in (alice_client.delete(url(project, "/avatar-maya")),
                     alice_client.put(url(project, "/avatar-maya"), {"asset_name": "Mine"}, format="json")):
        assert response.status_code == 403 and "built-in preset" in response.json()["error_msg"]


def test_it_filters_by_type_name_and_tag(alice_client, project):
    upload(alice_client, project, png_bytes(), "a.png", "IMAGE", asset_name="Red logo", tags="brand")
    upload(alice_client, project, png_bytes(), "b.png", "IMAGE", asset_name="Blue card")
    by_tag = alice_client.get(url(project), {"tag": "brand"}).json()
    assert [a["asset_name"] for a in by_tag["assets"]] == ["Red logo"]
    by_name = alice_client.get(url(project), {"name": "card", "asset_type": "IMAGE"}).json()
    assert [a["asset_name"] for a in by_name["assets"]] == ["Blue card"]
    presets = alice_client.get(url(project), {"tag": "preset", "asset_type": "MUSIC"}).json()
    assert presets["count"] >= 1 and all(a["asset_type"] == "MUSIC" for a in presets["assets"])
    paged = alice_client.get(url(project), {"asset_type": "IMAGE", "offset": 1, "limit": 100}).json()
    assert len(paged["assets"]) == paged["count"] - 1


def test_a_job_may_only_name_active_assets_of_the_right_type_in_the_project(bob_client, project, charlie_client,
                                                                            other_project):
    foreign = upload(charlie_client, other_project, png_bytes((1920, 1080)), "bg.png", "IMAGE").json()["asset_id"]
    body = create_body()
    body["shoot_scripts"][0]["shoot_script"]["background_config"] = [
        {"background_type": "IMAGE", "background_asset_id": foreign}]
    response = bob_client.post(f"/v1/{project.id}/2d-digital-human-videos", body, format="json")
    assert response.status_code == 400
    assert "shoot_scripts[0].shoot_script.background_config[0].background_asset_id" in response.json()["error_msg"]
    wrong_type = create_body(model_asset_id="music-calm-pads")
    response = bob_client.post(f"/v1/{project.id}/2d-digital-human-videos", wrong_type, format="json")
    assert response.status_code == 400 and response.json()["error_msg"].startswith("model_asset_id:")


@pytest.mark.django_db(transaction=True)
def test_the_official_sdk_lists_and_shows_assets(live_server, alice_key, project, alice):
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
    from huaweicloudsdkmetastudio.v1 import ListAssetsRequest, ShowAssetRequest

    from composer.assets.services import upload_new_asset
    from tests.support.sdk import sdk_client

    mine = upload_new_asset(project, {"asset_name": "Logo", "asset_type": "IMAGE", "tags": ["brand"]},
                            SimpleUploadedFile("logo.png", png_bytes()), user=alice)
    client = sdk_client(live_server, alice_key.ak, alice_key.sk, project.id)
    listed = client.list_assets(ListAssetsRequest(limit=100, offset=0))
    by_id = {a.asset_id: a for a in listed.assets}
    assert listed.count == len(listed.assets)
    assert by_id[mine.id].asset_name == "Logo" and by_id[mine.id].asset_state == "ACTIVED"
    assert by_id[mine.id].asset_extra_meta.image_meta.width == 64
    assert by_id[mine.id].files[0].download_url.startswith(live_server.url)
    assert "preset" in by_id["avatar-maya"].tags and by_id["avatar-maya"].asset_type == "HUMAN_MODEL_2D"
    images = client.list_assets(ListAssetsRequest(asset_type="IMAGE", tag="brand"))
    assert [a.asset_id for a in images.assets] == [mine.id]
    shown = client.show_asset(ShowAssetRequest(asset_id=mine.id))
    assert shown.asset_name == "Logo" and shown.files[1].asset_file_category == "COVER"
    with pytest.raises(ClientRequestException) as caught:
        client.show_asset(ShowAssetRequest(asset_id="0" * 32))
    assert caught.value.status_code == 404


def test_an_uploaded_avatar_rig_can_drive_a_job(alice_client, project):
    from composer.render.avatar import BUILTIN_RIGS

    rig = BUILTIN_RIGS[1]
    body = upload(alice_client, project, rig["path"].read_bytes(), "me.zip", "HUMAN_MODEL_2D").json()
    assert body["asset_extra_meta"]["human_model_2d_meta"]["model_resolution"] == "1080x1920"
    job = create_body(model_asset_id=body["asset_id"])
    job["video_config"].update(width=1080, height=1920)
    response = alice_client.post(f"/v1/{project.id}/2d-digital-human-videos", job, format="json")
    assert response.status_code == 200, response.content
