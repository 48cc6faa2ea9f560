"""Video scripts through the API: their address and saving a new one."""
from __future__ import annotations

from tests.support.factories import create_composition


def url(project, rest: str = "") -> str:
    return f"/v1/{project.id}/digital-human-video-scripts{rest}"


def save_new(client, project, text: str = "Hello.") -> str:
    response = client.post(url(project), {"script_name": "Launch", **create_composition(text)}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["script_id"]
