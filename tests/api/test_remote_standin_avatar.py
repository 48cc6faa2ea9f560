"""An avatar imported from MetaStudio has no rig here: thumbnails and the editor's canvas draw its cover in the
HUMAN box through our compositor (a stand-in rig), marked "Rendered by MetaStudio"; a local render of it is
still refused."""
from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.files.base import ContentFile
from PIL import Image

from composer.assets.models import Asset
from composer.teams.render_target import set_render_target
from tests.support.factories import create_composition
from tests.support.pages import page_data
from tests.support.script_api import url

pytestmark = pytest.mark.django_db
MAGENTA = (230, 20, 230)


@pytest.fixture
def remote_project(charlie, other_project):
    set_render_target(other_project, {"kind": "metastudio", "endpoint": "https://metastudio.example.com",
                                      "ak": "AK", "sk": "SK", "remote_project_id": "p1"}, by=charlie)
    return other_project


def remote_avatar(project) -> Asset:
    asset = Asset.objects.create(project=project, name="Maya there", asset_type="HUMAN_MODEL_2D", state="ACTIVED",
                                 source="metastudio", remote_asset_id="remote-maya")
    cover = io.BytesIO()
    Image.new("RGB", (300, 400), MAGENTA).save(cover, "JPEG", quality=95)
    asset.cover.save("cover.jpg", ContentFile(cover.getvalue()))
    return asset


def magenta_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    pixels = np.asarray(image.convert("RGB")).astype(int)
    found = (pixels[..., 0] > 190) & (pixels[..., 1] < 70) & (pixels[..., 2] > 190)
    ys, xs = np.nonzero(found)
    return (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1) if len(xs) else None


def test_a_thumbnail_draws_the_cover_in_the_human_box_marked(charlie_client, remote_project):
    project = remote_project
    avatar = remote_avatar(project)
    body = create_composition(model_asset_id=avatar.id)
    body["shoot_scripts"][0]["shoot_script"]["layer_config"] = [{
        "layer_type": "HUMAN", "position": {"dx": 1200, "dy": 180, "layer_index": 1},
        "size": {"width": 600, "height": 900}}]
    created = charlie_client.post(url(project), {"script_name": "Remote avatar", **body}, format="json")
    assert created.status_code == 200, created.content
    script_id = created.json()["script_id"]
    shown = charlie_client.get(url(project, f"/{script_id}/revisions/1/preview?scene=0&time=0.5&width=960"))
    assert shown.status_code == 200, shown.content
    x0, y0, x1, y1 = magenta_box(Image.open(io.BytesIO(shown.content)))
    # The HUMAN box is 1200..1800 x 180..1080 on the 1920 canvas: 600..900 x 90..540 at 960 wide.
    assert 600 - 2 <= x0 < x1 <= 900 + 2 and 90 - 2 <= y0 < y1 <= 540 + 2
    assert (x1 - x0) > 100 and (y1 - y0) > 150
    # The band along the cover's bottom (the "Rendered by MetaStudio" mark) is dark, under the magenta.
    band = np.asarray(Image.open(io.BytesIO(shown.content)).convert("RGB")).astype(int)[y1 + 4, (x0 + x1) // 2]
    assert band.max() < 90

    # A new cover (a sync brought another picture) draws a new thumbnail, not the kept one.
    green = io.BytesIO()
    Image.new("RGB", (300, 400), (20, 200, 20)).save(green, "JPEG", quality=95)
    avatar.cover.save("cover.jpg", ContentFile(green.getvalue()))
    again = charlie_client.get(url(project, f"/{script_id}/revisions/1/preview?scene=0&time=0.5&width=960"))
    assert magenta_box(Image.open(io.BytesIO(again.content))) is None
    pixel = np.asarray(Image.open(io.BytesIO(again.content)).convert("RGB")).astype(int)[(y0 + y1) // 2, (x0 + x1) // 2]
    assert pixel[1] > 150 and pixel[0] < 80


def test_the_editor_marks_the_avatar_as_rendered_by_metastudio(client, charlie, charlie_client, remote_project):
    project = remote_project
    avatar = remote_avatar(project)
    script_id = charlie_client.post(url(project), {"script_name": "Remote avatar",
                                                   **create_composition(model_asset_id=avatar.id)},
                                    format="json").json()["script_id"]
    client.force_login(charlie)
    data = page_data(client.get(f"/p/{project.id}/scripts/{script_id}"))
    shown = next(a for a in data["assets"] if a["asset_id"] == avatar.id)
    assert shown["rendered_by"] == "MetaStudio" and shown["rig"]["layout"] == [1920, 1080]
    still = client.get(shown["image_url"])
    assert still.status_code == 200 and still["Content-Type"] == "image/png"
    assert magenta_box(Image.open(io.BytesIO(b"".join(still.streaming_content) if still.streaming else
                                             still.content))) is not None
