"""Avatar and voice zips built to break the readers (sizes that lie, broken streams, rig.json of the wrong
shapes) are refused as uploads with a 400 naming the problem, never a 500."""
from __future__ import annotations

import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from composer.render.avatar import BUILTIN_RIGS, RigError, load_rig
from tests.support.media import voice_zip, with_declared_size, zip_bytes

pytestmark = pytest.mark.django_db


def builtin_rig() -> bytes:
    return BUILTIN_RIGS[0]["path"].read_bytes()


def rig_entries() -> dict[str, bytes]:
    with zipfile.ZipFile(BUILTIN_RIGS[0]["path"]) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}


def a_layer() -> str:
    return next(name for name in rig_entries() if name.endswith(".png"))


def upload(world, asset_type: str, data: bytes):
    client = world["clients"]["owner"]
    return client.post(f"/v1/{world['project'].id}/digital-assets/upload",
                       {"file": SimpleUploadedFile("x.zip", data), "asset_name": "x", "asset_type": asset_type},
                       format="multipart")


@pytest.mark.parametrize(("entry", "size"), [("rig.json", 10), ("layer", 10), ("rig.json", 10**9)],
                         ids=["rig.json smaller", "layer smaller", "rig.json larger"])
def test_an_avatar_zip_whose_sizes_lie_is_a_400(world, entry, size):
    data = with_declared_size(builtin_rig(), a_layer() if entry == "layer" else entry, size)
    response = upload(world, "HUMAN_MODEL_2D", data)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error_code"] == "MSS.00000003"
    assert body["error_msg"].startswith("file: ")
    assert "cannot be read from the zip" in body["error_msg"] or "unpacks to more than" in body["error_msg"]


def test_a_voice_zip_whose_model_size_lies_is_a_400(world):
    data = with_declared_size(voice_zip(), "voice/en_GB-test.onnx", 3)
    response = upload(world, "VOICE_MODEL", data)
    assert response.status_code == 400, response.content
    assert "voice/en_GB-test.onnx: cannot be read from the zip" in response.json()["error_msg"]


def test_a_corrupt_deflate_stream_is_refused_by_the_rig_loader(tmp_path):
    entries = rig_entries()
    data = bytearray(zip_bytes(entries))
    start = data.index(b"rig.json") + len(b"rig.json")  # the local header's name, then the deflated bytes
    data[start + 5:start + 40] = b"\xff" * 35
    path = tmp_path / "broken.zip"
    path.write_bytes(bytes(data))
    with pytest.raises(RigError, match="rig.json: cannot be read from the zip"):
        load_rig(path)


@pytest.mark.parametrize(("change", "words"), [
    (lambda meta: meta.update(faces=[]), "faces"),
    (lambda meta: meta.update(idle=[1, 2]), "idle"),
    (lambda meta: meta["parts"][0].update(z="top"), "z"),
    (lambda meta: meta["faces"].update(eyes_z="x"), "eyes_z"),
    (lambda meta: meta.update(name={"a": 1}), "name"),
    (lambda meta: meta.update(actions=[1]), "actions"),
    (lambda meta: meta.update(actions={"wave": []}), "actions.wave"),
], ids=["faces list", "idle list", "z text", "eyes_z text", "name object", "actions list", "clip list"])
def test_rig_json_of_the_wrong_shape_is_refused_naming_the_field(tmp_path, change, words):
    entries = rig_entries()
    meta = json.loads(entries["rig.json"])
    change(meta)
    entries["rig.json"] = json.dumps(meta).encode()
    path = tmp_path / "rig.zip"
    path.write_bytes(zip_bytes(entries))
    with pytest.raises(RigError) as info:
        load_rig(path)
    assert words in str(info.value)
