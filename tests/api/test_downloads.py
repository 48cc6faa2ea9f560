"""Signed download links: they work while valid, and a changed or expired link gets nothing."""
from __future__ import annotations

import time

import pytest
from django.core.files.base import ContentFile

from composer.assets.models import Asset, AssetType
from composer.assets.signing import signed_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(project):
    asset = Asset(project=project, name="Launch <video>", asset_type=AssetType.VIDEO, state="ACTIVED")
    asset.file.save("v.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    asset.save()
    return asset


def test_a_signed_link_downloads(client, video):
    response = client.get(signed_url(video, "file") + "&download=1")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x00\x18ftyp")
    assert "attachment" in response["Content-Disposition"]


def test_a_tampered_or_expired_link_is_refused(client, video, monkeypatch):
    url = signed_url(video, "file")
    assert client.get(url.replace("signature=", "signature=x")).status_code == 404
    assert client.get(url.replace("/file?", "/cover?")).status_code == 404
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3 * 24 * 3600)
    assert client.get(url).status_code == 404
