"""Errors are always MetaStudio's JSON body, with X-Request-Id, never HTML."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def path(project) -> str:
    return f"/v1/{project.id}/2d-digital-human-videos"


def test_missing_auth_is_401(project):
    response = APIClient().get(f"/v1/{project.id}/digital-human-videos")
    assert response.status_code == 401
    assert response.json()["error_code"] == "MSS.00000001"
    assert response["X-Request-Id"]


def test_a_bad_token_is_401(project):
    client = APIClient()
    client.credentials(HTTP_X_AUTH_TOKEN="cmp_nope")
    response = client.get(f"/v1/{project.id}/digital-human-videos")
    assert response.status_code == 401
    assert "X-Auth-Token" in response.json()["error_msg"]


def test_malformed_json_is_400_with_position(alice_client, project):
    response = alice_client.post(path(project), data='{"model_asset_id": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error_code"] == "MSS.00000003"
    assert "Malformed JSON" in response.json()["error_msg"]
    assert "column" in response.json()["error_msg"]


def test_wrong_content_type_is_400(alice_client, project):
    response = alice_client.post(path(project), data="a=b", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "application/json" in response.json()["error_msg"]


def test_a_body_that_is_not_an_object_is_400(alice_client, project):
    response = alice_client.post(path(project), data="[1, 2]", content_type="application/json")
    assert response.status_code == 400


def test_an_oversized_body_is_413(alice_client, project, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = alice_client.post(path(project), data='{"x": "' + "a" * 5000 + '"}', content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error_msg"] == "Request body too large"


def test_unknown_api_paths_are_404_json(alice_client):
    response = alice_client.get("/v1/nothing/here")
    assert response.status_code == 404
    assert response.json()["error_code"]
    assert response["X-Request-Id"]


def test_no_trailing_slash_redirect(alice_client, project):
    response = alice_client.get(f"/v1/{project.id}/digital-human-videos/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_an_internal_error_is_500_json(alice_client, project, monkeypatch):
    from composer.jobs import services

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "list_jobs", explode)
    client = alice_client
    client.raise_request_exception = False
    response = client.get(f"/v1/{project.id}/digital-human-videos")
    assert response.status_code == 500
    assert response.json() == {"error_code": "MSS.00000004", "error_msg": "Internal Error"}


def test_the_openapi_schema_and_docs_are_served(alice_client):
    schema = APIClient().get("/v1/openapi.json")
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    create = document["paths"]["/v1/{project_id}/2d-digital-human-videos"]["post"]
    assert create["operationId"] == "create2_d_digital_human_video"
    body = create["requestBody"]["content"]["application/json"]["schema"]
    assert "shoot_scripts" in str(body)
    docs = APIClient().get("/v1/docs")
    assert docs.status_code == 200
    assert b"redoc" in docs.content.lower()
    assert b"cdn." not in docs.content
