"""Submitting small, quick render jobs through the API."""
from __future__ import annotations

from tests.support.factories import create_body


def small_body(text: str = "Hello there.", **video) -> dict:
    """A landscape composition cropped to a small window so the test render is quick."""
    body = create_body()
    body["video_config"].update({"clip_mode": "CROP", "width": 320, "height": 180, "dx": 1200, "dy": 100,
                                 "bitrate": 1000, **video})
    body["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] = text
    return body


def submit(client, project, body) -> str:
    response = client.post(f"/v1/{project.id}/2d-digital-human-videos", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()["job_id"]
