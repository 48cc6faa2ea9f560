"""Play a scene: a small MP4 with sound and the scene's length, kept by content, for anyone who may view the script."""
from __future__ import annotations

import io

import av
import pytest

from composer.teams.models import Membership, Role
from tests.support.factories import create_composition
from tests.support.script_api import save_new, url
from tests.support.users import make_user, token_client

pytestmark = pytest.mark.django_db


def play(client, project, script_id: str, body: dict | None = None):
    return client.post(url(project, f"/{script_id}/scene-previews"), body or {"scene": 0}, format="json")


def decode(data: bytes) -> dict:
    with av.open(io.BytesIO(data)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        frames = sum(1 for _ in container.decode(video))
        info = {"video": video.codec_context.name, "audio": audio.codec_context.name,
                "size": (video.codec_context.width, video.codec_context.height), "frames": frames,
                "rate": float(video.average_rate), "channels": audio.codec_context.channels}
    with av.open(io.BytesIO(data)) as container:
        samples = sum(frame.samples for frame in container.decode(audio=0))
        info["audio_seconds"] = samples / container.streams.audio[0].codec_context.sample_rate
    return info


def file_of(client, payload: dict) -> bytes:
    response = client.get(payload["video_url"])
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    return b"".join(response.streaming_content)


def test_it_plays_a_scene_with_sound_for_the_scenes_length_and_then_from_the_cache(alice_client, project, settings):
    script_id = save_new(alice_client, project, "Hello there, this is a quick look at the scene.")
    first = play(alice_client, project, script_id, {"scene": 0, "width": 320})
    assert first.status_code == 200, first.content
    payload = first.json()
    assert payload["cached"] is False and (payload["width"], payload["height"]) == (320, 180)
    data = file_of(alice_client, payload)
    assert data[:64].find(b"ftyp") >= 0 and data.find(b"moov") < data.find(b"mdat"), "faststart: moov first"
    info = decode(data)
    assert info["video"] == "h264" and info["audio"] == "aac" and info["channels"] == 2
    assert info["size"] == (320, 180) and info["rate"] == 25
    assert abs(info["frames"] / 25 - payload["duration"]) < 0.05 and payload["duration"] > 1.5
    assert abs(info["audio_seconds"] - payload["duration"]) < 0.1

    again = play(alice_client, project, script_id, {"scene": 0, "width": 320})
    assert again.status_code == 200 and again.json()["cached"] is True
    assert again.json()["preview_key"] == payload["preview_key"]
    kept = list((settings.MEDIA_ROOT / "scene-previews" / project.pk).glob("*.mp4"))
    assert [p.stem for p in kept] == [payload["preview_key"]]

    # An unsaved change is a different scene: a new key (rendered), and it is checked by the spec first.
    body = create_composition("Hello there, this is a quick look at the scene.")
    body["shoot_scripts"][0]["shoot_script"]["layer_config"] = [{
        "layer_type": "TEXT", "position": {"dx": 100, "dy": 100, "layer_index": 2},
        "text_config": {"text_context": "SGk="}, "timing": {"start": 2, "end": 1}}]
    refused = play(alice_client, project, script_id, {"scene": 0, "width": 320, "composition": body})
    assert refused.status_code == 400
    assert refused.json()["error_msg"].startswith("shoot_scripts[0].shoot_script.layer_config[0].timing.end")


def test_the_editor_can_ask_the_engine_to_get_ready(alice_client, project):
    script_id = save_new(alice_client, project)
    first = play(alice_client, project, script_id, {"prepare": True})
    assert first.status_code == 202 and isinstance(first.json()["preparing"], bool)
    again = play(alice_client, project, script_id, {"prepare": True})
    assert again.status_code == 202 and again.json() == {"preparing": False}, "once per voice"


def test_bad_requests_name_the_field(alice_client, project):
    script_id = save_new(alice_client, project)
    for body, field in (({"scene": 2}, "scene"), ({"scene": -1}, "scene"), ({"width": 5000}, "width"),
                        ({"revision": 9}, "revision"), ({"composition": "x"}, "composition")):
        response = play(alice_client, project, script_id, body)
        assert response.status_code in (400, 404) and response.json()["error_msg"].startswith(field), body
    missing = alice_client.get(url(project, f"/{script_id}/scene-previews/{'0' * 64}"))
    assert missing.status_code == 404


def test_a_viewer_may_play_and_a_foreign_project_may_not(alice_client, charlie_client, django_user_model, project,
                                                        other_project):
    script_id = save_new(alice_client, project)
    viewer = make_user(django_user_model, "vera")
    Membership.objects.create(project=project, user=viewer, role=Role.VIEWER)
    played = play(token_client(viewer), project, script_id, {"scene": 0, "width": 160})
    assert played.status_code == 200, played.content
    assert token_client(viewer).get(played.json()["video_url"]).status_code == 200

    assert play(charlie_client, project, script_id).status_code == 403
    assert charlie_client.get(played.json()["video_url"]).status_code == 403
    # From charlie's own project, alice's script and its preview are unknown.
    assert play(charlie_client, other_project, script_id).status_code == 404
    foreign = charlie_client.get(f"/v1/{other_project.pk}/digital-human-video-scripts/{script_id}/scene-previews/"
                                 f"{played.json()['preview_key']}")
    assert foreign.status_code == 404


def test_the_openapi_schema_documents_it(client):
    paths = client.get("/v1/openapi.json").json()["paths"]
    post = paths["/v1/{project_id}/digital-human-video-scripts/{script_id}/scene-previews"]["post"]
    assert post["operationId"] == "create_scene_preview"
    assert "/v1/{project_id}/digital-human-video-scripts/{script_id}/scene-previews/{key}" in paths
