"""Scene previews: drawn by the render compositor, layers where the composition puts them, cached, scoped."""
from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.support.factories import create_composition
from tests.support.script_api import save_new, url

pytestmark = pytest.mark.django_db


def red_image(client, project) -> str:
    out = io.BytesIO()
    Image.new("RGB", (320, 180), (230, 20, 20)).save(out, "PNG")
    form = {"file": SimpleUploadedFile("red.png", out.getvalue()), "asset_name": "Red", "asset_type": "IMAGE"}
    response = client.post(f"/v1/{project.id}/digital-assets/upload", form, format="multipart")
    assert response.status_code == 200, response.content
    return response.json()["asset_id"]


def red_box(jpeg: bytes) -> tuple[int, int, int, int]:
    pixels = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB")).astype(int)
    red = (pixels[..., 0] > 180) & (pixels[..., 1] < 80) & (pixels[..., 2] < 80)
    ys, xs = np.nonzero(red)
    return xs.min(), ys.min(), xs.max() + 1, ys.max() + 1


def test_it_draws_a_saved_revision_with_layers_in_place(alice_client, project):
    body = create_composition()
    body["shoot_scripts"][0]["shoot_script"]["layer_config"] = [{
        "layer_type": "IMAGE", "asset_id": red_image(alice_client, project),
        "position": {"dx": 400, "dy": 200, "layer_index": 1}, "size": {"width": 640, "height": 360}}]
    script_id = alice_client.post(url(project), {"script_name": "Red box", **body}, format="json").json()["script_id"]

    response = alice_client.get(url(project, f"/{script_id}/revisions/1/preview?scene=0&time=0.5&width=960"))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(response.content)).size == (960, 540)
    # The canvas is 1920 wide, the preview 960: the layer's box halves, within JPEG edge blur.
    x0, y0, x1, y1 = red_box(response.content)
    assert abs(x0 - 200) <= 2 and abs(y0 - 100) <= 2 and abs(x1 - 520) <= 2 and abs(y1 - 280) <= 2

    again = alice_client.get(url(project, f"/{script_id}/revisions/1/preview?scene=0&time=0.5&width=960"),
                             HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    # Kept in the thumbnails' file cache under its content key.
    from composer.scripts.previews import THUMBNAILS
    assert THUMBNAILS.get(response["ETag"].strip('"')) == response.content


def test_an_unsaved_composition_previews_and_bad_input_names_the_field(alice_client, project):
    response = alice_client.post(f"/v1/{project.id}/previews", {"composition": create_composition(), "width": 320},
                                 format="json")
    assert response.status_code == 200 and Image.open(io.BytesIO(response.content)).size == (320, 180)

    broken = create_composition()
    broken["video_config"]["width"] = 7
    response = alice_client.post(f"/v1/{project.id}/previews", {"composition": broken}, format="json")
    assert response.status_code == 400 and response.json()["error_msg"].startswith("video_config.width")

    for params, field in (({"scene": 3}, "scene"), ({"width": 5000}, "width"), ({"time": "soon"}, "time")):
        response = alice_client.post(f"/v1/{project.id}/previews", {"composition": create_composition(), **params},
                                     format="json")
        assert response.status_code == 400 and response.json()["error_msg"].startswith(field), params


def test_previews_are_scoped_to_the_project(alice_client, charlie_client, project):
    script_id = save_new(alice_client, project)
    response = charlie_client.get(url(project, f"/{script_id}/revisions/1/preview"))
    assert response.status_code == 403
    response = charlie_client.post(f"/v1/{project.id}/previews", {"composition": create_composition()}, format="json")
    assert response.status_code == 403
