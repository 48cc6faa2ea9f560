"""Query parameters: the OpenAPI schema is the truth. Every declared range, choice and emptiness rule is tried on
the running API, read from the generated schema, so a parameter the server reads differently fails here."""
from __future__ import annotations

import pytest

from composer.jobs.models import VideoJob
from composer.teams.models import Membership, Role
from tests.support.factories import create_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(alice, alice_client, project):
    # The audit log needs an owner; the other lists are open to every member.
    Membership.objects.filter(project=project, user=alice).update(role=Role.OWNER)
    return alice_client


@pytest.fixture
def path_values(owner_client, project, alice):
    body = create_body()
    del body["output_asset_config"]
    # As many scenes as a script may have, so the highest scene index the schema allows exists.
    scene = body["shoot_scripts"][0]["shoot_script"]
    body["shoot_scripts"] = [{"sequence_no": index, "shoot_script": scene} for index in range(100)]
    saved = owner_client.post(f"/v1/{project.id}/digital-human-video-scripts", {"script_name": "Launch", **body},
                              format="json")
    assert saved.status_code == 200, saved.content
    job = VideoJob.objects.create(project=project, created_by=alice, spec=create_body(), asset_name="Launch")
    return {"project_id": project.id, "script_id": saved.json()["script_id"], "number": "1", "job_id": str(job.id)}


def query_operations(client) -> list[tuple[str, dict]]:
    schema = client.get("/v1/openapi.json").json()
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            params = [p for p in operation.get("parameters", []) if p["in"] == "query"]
            if params:
                assert method == "get", f"{method.upper()} {path} takes query parameters"
                found.append((path, params))
    return found


def refused(response, name: str) -> bool:
    return response.status_code == 400 and response.json()["error_msg"].startswith(f"{name}:")


def bad_values(schema: dict) -> list[str]:
    """Values the schema does not allow for one parameter."""
    kind = schema.get("type")
    values = []
    if kind in ("integer", "number"):
        values += [str(schema["minimum"] - 1), str(schema["maximum"] + 1), "", "ten"]
    elif kind == "boolean":
        values += ["", "maybe"]
    elif kind == "string" and schema.get("enum"):
        values += ["", "sideways"]
    elif kind == "string" and schema.get("format") == "date-time":
        values += ["", "yesterday"]
    elif kind == "string" and "maxLength" in schema:
        values.append("x" * (schema["maxLength"] + 1))
    elif kind == "array" and schema["items"].get("enum"):
        values.append("NOT_A_VALUE")
    elif kind == "array" and schema["items"].get("pattern"):
        values.append("not-an-id")
    return values


def good_values(schema: dict) -> list[str]:
    kind = schema.get("type")
    if kind in ("integer", "number"):
        return [str(schema["minimum"]), str(schema["maximum"])]
    if kind == "boolean":
        return ["true", "false"]
    if schema.get("enum"):
        return list(schema["enum"])
    if kind == "array" and schema["items"].get("enum"):
        return ["", ",".join(schema["items"]["enum"][:2])]
    if kind == "array" and schema["items"].get("pattern"):
        return ["", "0123456789abcdef0123456789abcdef"]
    if schema.get("format") == "date-time":
        return ["2025-01-31T08:00:00Z"]
    return ["", "x" * schema.get("maxLength", 10)]


def test_the_schema_declares_every_list_parameter_with_its_range(owner_client):
    operations = dict(query_operations(owner_client))
    videos = {p["name"]: p["schema"] for p in operations["/v1/{project_id}/digital-human-videos"]}
    assert videos["limit"]["minimum"] == 1 and videos["limit"]["maximum"] == 100
    assert videos["offset"]["minimum"] == 0
    assert videos["sort_dir"]["enum"] == ["asc", "desc"] and videos["sort_dir"]["minLength"] == 1
    audit = {p["name"]: p["schema"] for p in operations["/v1/{project_id}/audit-logs"]}
    assert audit["limit"] == {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}


def test_limit_zero_and_empty_offset_or_sort_dir_are_refused_naming_the_parameter(owner_client, project):
    base = f"/v1/{project.id}/digital-human-videos"
    for query, name in (("limit=0", "limit"), ("offset=", "offset"), ("sort_dir=", "sort_dir"),
                        ("sort_key=", "sort_key"), ("limit=", "limit")):
        response = owner_client.get(f"{base}?{query}")
        assert response.status_code == 400, query
        assert response.json()["error_code"] == "MSS.00000003"
        assert response.json()["error_msg"].startswith(f"{name}: "), response.json()
    assert owner_client.get(f"{base}?limit=1&offset=0&sort_dir=desc").status_code == 200


def test_every_query_parameter_answers_as_the_schema_says(owner_client, path_values):
    operations = query_operations(owner_client)
    assert len(operations) >= 8
    for path, params in operations:
        url = path.format(**path_values)
        for param in params:
            name, schema = param["name"], param["schema"]
            for value in bad_values(schema):
                response = owner_client.get(url, {name: value})
                assert refused(response, name), (path, name, value, response.status_code, response.content[:200])
            for value in good_values(schema):
                response = owner_client.get(url, {name: value})
                assert response.status_code in (200, 304), (path, name, value, response.content[:200])
