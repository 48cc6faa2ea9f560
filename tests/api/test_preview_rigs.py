"""Thumbnails follow the presenter's rig: a re-uploaded rig draws new previews, never the old rig from a cache."""
from __future__ import annotations

import io
import uuid
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from composer.assets.models import Asset
from composer.render.avatar import BUILTIN_RIGS
from tests.support.factories import create_composition
from tests.support.uploads import upload

pytestmark = pytest.mark.django_db

MAYA, SAM = (next(e["path"] for e in BUILTIN_RIGS if e["asset_id"] == name) for name in ("avatar-maya", "avatar-sam"))


def thumbnail(client, project, model: str) -> np.ndarray:
    body = create_composition("Hello.")
    body["model_asset_id"] = model
    response = client.post(f"/v1/{project.id}/previews", {"composition": body, "width": 320}, format="json")
    assert response.status_code == 200, response.content
    return np.asarray(Image.open(io.BytesIO(response.content)).convert("RGB")).astype(int)


def test_a_reuploaded_rig_draws_new_previews(alice_client, project, settings):
    response = upload(alice_client, project, Path(MAYA).read_bytes(), "presenter.zip", "HUMAN_MODEL_2D")
    assert response.status_code == 200, response.content
    asset = Asset.objects.get(pk=response.json()["asset_id"])
    before = thumbnail(alice_client, project, asset.id)
    assert np.array_equal(before, thumbnail(alice_client, project, asset.id))    # same rig, same picture

    # A new upload of the asset's file is stored under a new generated name (the row then points at it).
    name = f"assets/{project.id}/{asset.id}/{uuid.uuid4().hex}.zip"
    target = Path(settings.MEDIA_ROOT) / name
    target.write_bytes(Path(SAM).read_bytes())
    Asset.objects.filter(pk=asset.pk).update(file=name, size_bytes=target.stat().st_size)

    after = thumbnail(alice_client, project, asset.id)
    # Another presenter stands there now: a clearly different picture, not the first rig from a cache.
    assert np.abs(after - before).mean() > 3
    assert np.array_equal(after, thumbnail(alice_client, project, "avatar-sam"))
