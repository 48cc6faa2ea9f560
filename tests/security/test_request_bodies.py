"""Bodies built to break the parser (deep nesting, huge numbers, duplicate keys, NaN, text that cannot be
stored or drawn) are a 400 naming the problem on every JSON endpoint, never a 500 or a silent choice."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from composer.api.parsers import MAX_DEPTH, MAX_NUMBER_DIGITS
from tests.support.factories import create_body
from tests.support.media import png_bytes
from tests.support.routes import api_routes

pytestmark = pytest.mark.django_db

MULTIPART = ("digital-assets/upload", "digital-assets/<str:asset_id>/file")
WRITES = [(route, method) for route in api_routes() for method in route.methods
          if method in ("post", "put", "patch") and not route.pattern.endswith(MULTIPART)]
BAD_BODIES = {
    "arrays nested 100,000 deep": ("[" * 100_000 + "]" * 100_000, f"nested more than {MAX_DEPTH} levels"),
    "objects nested 40 deep": ('{"a": ' * 40 + "1" + "}" * 40, f"nested more than {MAX_DEPTH} levels"),
    "an integer of 5,000 digits": ('{"bitrate": ' + "9" * 5000 + "}", f"at most {MAX_NUMBER_DIGITS}"),
    "a float of 5,000 digits": ('{"speed": 1.' + "5" * 5000 + "}", f"at most {MAX_NUMBER_DIGITS}"),
    "an overflowing float": ('{"speed": 1e999}', "out of range"),
    "NaN": ('{"speed": NaN}', "NaN is not a JSON value"),
    "a duplicate key": ('{"description": "a", "description": "b"}', "'description' appears more than once"),
    "a NUL": ('{"description": "a\\u0000b"}', "description: contains a NUL character"),
    "a lone surrogate": ('{"description": "\\ud800"}', "description: contains a lone UTF-16 surrogate"),
    "a lone surrogate in a key": ('{"\\udfff": 1}', "a key contains a lone UTF-16 surrogate"),
}


@pytest.mark.parametrize(("route", "method"), WRITES, ids=[f"{m.upper()} {r}" for r, m in WRITES])
def test_every_json_endpoint_refuses_broken_bodies_naming_the_problem(world, route, method):
    client = world["clients"]["owner"]
    path = route.path(world["values"])
    for name, (body, words) in BAD_BODIES.items():
        response = getattr(client, method)(path, data=body, content_type="application/json")
        assert response.status_code == 400, (name, response.status_code, response.content[:300])
        error = response.json()
        assert error["error_code"] == "MSS.00000003", name
        assert words in error["error_msg"], (name, error["error_msg"])


@pytest.mark.parametrize(("route", "method"), WRITES, ids=[f"{m.upper()} {r}" for r, m in WRITES])
def test_a_json_body_that_is_not_an_object_is_never_a_server_error(world, route, method):
    # Found by the schema fuzzer: POST .../digital-human-video-scripts/validate with `null` was a 500. Endpoints
    # whose body is optional (revoke, copy, restore) may take `null` as no body; the others refuse it.
    client = world["clients"]["owner"]
    path = route.path(world["values"])
    for body in ("null", "[]", "[1]", "7", '"text"', "true"):
        response = getattr(client, method)(path, data=body, content_type="application/json")
        assert response.status_code < 500, (body, response.status_code, response.content[:300])
        if response.status_code >= 400:
            assert response.json()["error_code"].startswith("MSS."), body


def test_the_error_names_the_field_by_its_path(world):
    client = world["clients"]["owner"]
    body = create_body()
    body["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] = "Hello \ud800 world"
    import json

    raw = json.dumps(body)  # ensure_ascii: the surrogate travels as \\ud800, as an attacker sends it
    response = client.post(f"/v1/{world['project'].id}/2d-digital-human-videos", data=raw,
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error_msg"] == ("shoot_scripts[0].shoot_script.text_config.text: contains a lone "
                                            "UTF-16 surrogate (U+D800) at character 7; text cannot contain it")
    layer_text = create_body()
    layer_text["shoot_scripts"][0]["shoot_script"]["layer_config"] = [
        {"layer_type": "TEXT", "position": {"dx": 10, "dy": 10, "layer_index": 1},
         "size": {"width": 400, "height": 100}, "text_config": {"text_context": "Sale\u0000"}}]
    layer_text["output_asset_config"]["asset_name"] = "fine"
    response = client.post(f"/v1/{world['project'].id}/2d-digital-human-videos", data=json.dumps(layer_text),
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error_msg"].startswith(
        "shoot_scripts[0].shoot_script.layer_config[0].text_config.text_context: contains a NUL character")


def test_a_duplicate_key_is_named_with_its_path(world):
    raw = '{"output_asset_config": {"asset_name": "a", "asset_name": "b"}}'
    response = world["clients"]["owner"].post(f"/v1/{world['project'].id}/2d-digital-human-videos", data=raw,
                                              content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error_msg"] == ("output_asset_config.asset_name: the key 'asset_name' appears more "
                                            "than once in one object")


def test_well_formed_bodies_still_pass(world):
    client = world["clients"]["owner"]
    response = client.post(f"/v1/{world['project'].id}/2d-digital-human-videos", data=create_body(), format="json")
    assert response.status_code == 200, response.content
    nested = create_body(output_asset_config={"asset_name": "Café ☕ 😀 中文"})
    response = client.post(f"/v1/{world['project'].id}/2d-digital-human-videos", data=nested, format="json")
    assert response.status_code == 200, response.content


def test_upload_form_fields_are_held_to_the_same_text_rule(world):
    client = world["clients"]["owner"]
    response = client.post(f"/v1/{world['project'].id}/digital-assets/upload",
                           {"file": SimpleUploadedFile("b.png", png_bytes()), "asset_name": "b\x00",
                            "asset_type": "IMAGE"}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error_msg"].startswith("asset_name: contains a NUL character (U+0000) at character 2")
