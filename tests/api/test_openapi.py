"""The OpenAPI schema describes every operation (API clients and generators read it), and the server answers as it
says: every answer of a walk through the API is checked against the generated schema, status and body."""
from __future__ import annotations

import copy
import io
import re

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import URLPattern, get_resolver, resolve
from PIL import Image

from composer.teams.models import Membership, Role
from tests.support.factories import create_body, template_composition
from tests.support.finished import finished_video
from tests.support.users import make_user, token_client

pytestmark = pytest.mark.django_db
BODY_METHODS = ("post", "put", "patch")
# Operations that render (a scene played, a presenter built, a voice spoken) have their own tests; the walk below
# covers every other operation, so a new one must be added to it.
RENDERS = {("post", "/v1/{project_id}/digital-human-video-scripts/{script_id}/scene-previews"),
           ("get", "/v1/{project_id}/digital-human-video-scripts/{script_id}/scene-previews/{key}"),
           ("post", "/v1/{project_id}/presenter-previews"), ("post", "/v1/{project_id}/presenters"),
           ("post", "/v1/{project_id}/voice-samples")}


@pytest.fixture
def schema(client) -> dict:
    return client.get("/v1/openapi.json").json()


def resolved(doc: dict, node, depth: int = 0):
    """The schema with $refs inlined, OpenAPI's `nullable` said the JSON Schema way, and no undescribed fields."""
    assert depth < 40, "the schema nests too deep"
    if isinstance(node, list):
        return [resolved(doc, item, depth + 1) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return resolved(doc, doc["components"]["schemas"][name], depth + 1)
    out = {key: resolved(doc, value, depth + 1) for key, value in node.items() if key != "nullable"}
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False   # an answer carries only what the schema says it does
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def operations(doc: dict):
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def routes(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)
        else:
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))


def test_every_api_route_is_in_the_schema(schema):
    api = {"/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route) for route in routes(get_resolver().url_patterns)
           if route.startswith("v1/<")}
    assert len(api) > 40 and api <= set(schema["paths"])


def test_every_operation_describes_its_request_and_its_answers(schema):
    missing = []
    for path, method, operation in operations(schema):
        where = f"{method.upper()} {path}"
        answers = operation.get("responses", {})
        if not any(code.startswith("2") for code in answers):
            missing.append(f"{where}: no success answer")
        for code, answer in answers.items():
            if code in ("204", "304"):
                continue
            if not answer.get("content"):
                missing.append(f"{where}: answer {code} has no body")
                continue
            if code.startswith("4"):
                body = resolved(schema, answer["content"]["application/json"]["schema"])
                if not {"error_code", "error_msg"} <= set(body.get("properties", {})):
                    missing.append(f"{where}: answer {code} is not the error body")
        for code in ("400", "401", "403"):
            if code not in answers:
                missing.append(f"{where}: answer {code} is not described")
        if method in BODY_METHODS and not (operation.get("requestBody") or {}).get("content"):
            missing.append(f"{where}: no request body")
    assert missing == []


class Checked:
    """A test client whose every answer is held to the schema: its status must be described, a JSON body must
    validate against the described schema, a binary one must have the described media type."""

    def __init__(self, client, doc: dict):
        self.client, self.doc, self.seen = client, doc, set()

    def __getattr__(self, method):
        def call(path, *args, **kwargs):
            response = getattr(self.client, method)(path, *args, **kwargs)
            self.check(method, path.split("?")[0], response)
            return response
        return call

    def check(self, method: str, path: str, response) -> None:
        template = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", resolve(path).route)
        operation = self.doc["paths"][template][method]
        self.seen.add((method, template))
        answers = operation["responses"]
        status = str(response.status_code)
        assert status in answers, f"{method.upper()} {template} answered {status}, not described"
        if status in ("204", "304"):
            return
        media = response["Content-Type"].split(";")[0]
        content = answers[status]["content"]
        assert media in content, f"{method.upper()} {template} {status} answered {media}, described {list(content)}"
        if media == "application/json":
            body_schema = resolved(self.doc, content[media]["schema"])
            jsonschema.validate(response.json(), body_schema)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 36), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def composition(text: str) -> dict:
    body = create_body()
    del body["output_asset_config"]
    body["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] = text
    return body


def test_the_answers_of_a_walk_through_the_api_match_the_schema(schema, alice, alice_client, bob_client, project,
                                                                 charlie, django_user_model):
    Membership.objects.filter(project=project, user=alice).update(role=Role.OWNER)
    api, bob = Checked(alice_client, schema), Checked(bob_client, schema)
    bob_outside = make_user(django_user_model, "dora")
    v1 = f"/v1/{project.id}"

    # Assets: presets and uploads, both create paths, edits and the list.
    api.get(f"{v1}/digital-assets?limit=3")
    api.get(f"{v1}/digital-assets/avatar-maya")
    created = api.post(f"{v1}/digital-assets", {"asset_name": "Logo", "asset_type": "IMAGE"}, format="json").json()
    api.put(f"{v1}/digital-assets/{created['asset_id']}", {"asset_description": "ours", "tags": ["brand"]},
            format="json")
    api.post(f"{v1}/digital-assets/{created['asset_id']}/file",
             {"file": SimpleUploadedFile("logo.png", png())}, format="multipart")
    uploaded = api.post(f"{v1}/digital-assets/upload", {"file": SimpleUploadedFile("b.png", png()),
                                                        "asset_name": "Banner", "asset_type": "IMAGE"},
                        format="multipart").json()
    api.get(f"{v1}/digital-assets/{uploaded['asset_id']}")
    api.put(f"{v1}/brand-kit", {"palette": ["#FF6600"], "logo_asset_ids": [uploaded["asset_id"]],
                                "subtitle_style": {"font_size": 40}}, format="json")
    api.get(f"{v1}/brand-kit")
    api.put(f"{v1}/brand-kit", {"palette": ["red"]}, format="json")
    api.put(f"{v1}/brand-kit", {"logo_asset_ids": []}, format="json")
    api.get(f"{v1}/digital-assets/no-such-asset")
    api.post(f"{v1}/digital-assets", {"asset_name": "", "asset_type": "IMAGE"}, format="json")

    # Scripts: save, edit, copy, revisions, diff, restore, validation, the approval flow.
    scripts = f"{v1}/digital-human-video-scripts"
    script_id = api.post(scripts, {"script_name": "Launch", **composition("Hello.")}, format="json") \
        .json()["script_id"]
    api.put(f"{scripts}/{script_id}", {"shoot_scripts": composition("Hello again.")["shoot_scripts"],
                                       "base_revision": 1}, format="json")
    api.put(f"{scripts}/{script_id}", {"script_name": "Launch", "base_revision": 1}, format="json")
    api.get(scripts)
    api.get(f"{scripts}/{script_id}")
    api.post(f"{scripts}/{script_id}/copy", {"script_name": "Launch (B)"}, format="json")
    api.get(f"{scripts}/{script_id}/revisions")
    api.get(f"{scripts}/{script_id}/revisions/1")
    api.get(f"{scripts}/{script_id}/revisions/1/diff/2")
    api.post(f"{scripts}/{script_id}/revisions/1/restore", {}, format="json")
    api.post(f"{scripts}/validate", composition("Fine."), format="json")
    api.post(f"{scripts}/validate", {**composition("Fine."), "model_asset_id": ""}, format="json")
    # Not a composition at all: the plain error body, which the 400's schema also describes (schemathesis found it).
    api.post(f"{scripts}/validate", data="null", content_type="application/json")
    api.post(f"{scripts}/validate", data='{"video_config": {"a\\u0000": 1}}', content_type="application/json")
    api.post(f"{scripts}/{script_id}/approval-requests", {"note": "Ready for review"}, format="json")
    api.get(f"{scripts}/{script_id}/approval-requests")
    bob.post(f"{scripts}/{script_id}/approve", {"comment": "Good"}, format="json")
    api.get(f"{v1}/approval-requests?state=APPROVED")
    api.post(f"{scripts}/{script_id}/reject", {"comment": "No"}, format="json")
    template_id = api.post(scripts, {"script_name": "Welcome", **template_composition()}, format="json") \
        .json()["script_id"]
    api.post(f"{scripts}/{template_id}/rows/check", {"rows": [
        {"first_name": "Ann", "company": "Acme", "logo": "bg-warm-office-landscape"},
        {"first_name": "", "company": "Acme", "logo": "nope"}]}, format="json")
    api.post(f"{scripts}/{template_id}/rows/check", {"file": SimpleUploadedFile(
        "rows.csv", b"first_name,company,logo\nAnn,Acme,nope\n"), "mapping": "{}"}, format="multipart")
    api.post(f"{scripts}/{template_id}/rows/check", {"rows": []}, format="json")
    api.post(f"{scripts}/{template_id}/rows/columns", {"csv": "First name,logo\nAnn,x\n"}, format="json")
    api.post(f"{scripts}/{template_id}/rows/columns", {"csv": "first_name\n"}, format="json")
    api.get(f"{scripts}/{template_id}/rows/sample.csv")
    api.get(f"{scripts}/{script_id}/rows/sample.csv")
    # Batches: the template approved, rendered once per row; refused, shown, listed, canceled, retried.
    api.post(f"{scripts}/{template_id}/approval-requests", {}, format="json")
    bob.post(f"{scripts}/{template_id}/approve", {"comment": "Good"}, format="json")
    batch_rows = [{"first_name": "Ann", "company": "Acme", "logo": "bg-warm-office-landscape"}]
    batch_id = api.post(f"{v1}/video-batches", {"script_id": template_id, "rows": batch_rows}, format="json") \
        .json()["batch_id"]
    api.post(f"{v1}/video-batches", {"script_id": template_id, "rows": [{"first_name": ""}]}, format="json")
    api.get(f"{v1}/video-batches")
    api.get(f"{v1}/video-batches/{batch_id}")
    api.get(f"{v1}/video-batches/{batch_id}/videos.zip")
    api.get(f"{v1}/video-batches/{batch_id}/links.csv")
    api.post(f"{v1}/video-batches/{batch_id}/cancel", {}, format="json")
    api.post(f"{v1}/video-batches/{batch_id}/retry", {}, format="json")

    # A thumbnail, and what the presenter builder offers.
    api.get(f"{scripts}/{script_id}/revisions/1/preview?width=160")
    api.post(f"{v1}/previews", {"composition": composition("Hi."), "width": 160}, format="json")
    api.get(f"{v1}/presenter-options")

    # Speech checks.
    api.get(f"{v1}/ssml-checks")
    api.post(f"{v1}/ssml-checks", {"text": "<speak>Hello <break time=\"300ms\"/> there</speak>"}, format="json")
    api.post(f"{v1}/ssml-checks", {"text": "<speak>Hello"}, format="json")

    # Videos: create (stays WAITING here), show, list, rename, tag, cancel; a finished one's share links.
    job_id = api.post(f"{v1}/2d-digital-human-videos", create_body(), format="json",
                      HTTP_X_APP_USERID="crm-7").json()["job_id"]
    api.get(f"{v1}/2d-digital-human-videos/{job_id}?show_script=true")
    api.get(f"{v1}/digital-human-videos?limit=5&sort_dir=desc")
    api.put(f"{v1}/2d-digital-human-videos/{job_id}", {"output_asset_config": {"asset_name": "Teaser"}},
            format="json")
    api.patch(f"{v1}/2d-digital-human-videos/{job_id}", {"asset_name": "Teaser 2"}, format="json")
    api.put(f"{v1}/2d-digital-human-videos/{job_id}/tags", {"tags": ["Spring"]}, format="json")
    api.post(f"{v1}/2d-digital-human-videos/{job_id}/cancel", {}, format="json")
    done = finished_video(project, alice).pk
    link = api.post(f"{v1}/2d-digital-human-videos/{done}/share-links", {"label": "Client"}, format="json").json()
    api.get(f"{v1}/2d-digital-human-videos/{done}/share-links")
    api.post(f"{v1}/2d-digital-human-videos/{done}/share-links/{link['link_id']}/revoke", {}, format="json")

    # The team: invitations, members, credentials, settings, review words, the audit log.
    api.get(f"{v1}/members")
    dropped = api.post(f"{v1}/members", {"username": "nobody-here", "role": "viewer"}, format="json").json()
    api.get(f"{v1}/invitations")
    api.post(f"{v1}/invitations/{dropped['invitation_id']}/revoke", {}, format="json")
    api.post(f"{v1}/invitations/{dropped['invitation_id']}/revoke", {}, format="json")
    invited = api.post(f"{v1}/members", {"username": charlie.username, "role": "viewer"}, format="json").json()
    api.post(f"{v1}/members", {"username": "erin", "email": "erin@example.com",
                               "password": "a-long-Passphrase-42"}, format="json")
    api.post(f"{v1}/members", {"username": "erin", "role": "viewer"}, format="json")
    declined = api.post(f"{v1}/members", {"username": bob_outside.username}, format="json").json()
    outsider = Checked(token_client(bob_outside), schema)
    outsider.get("/v1/invitations")
    outsider.post(f"/v1/invitations/{declined['invitation_id']}/decline", {}, format="json")
    outsider.post(f"/v1/invitations/{invited['invitation_id']}/accept", {}, format="json")
    charlie_api = Checked(token_client(charlie), schema)
    charlie_api.post(f"/v1/invitations/{invited['invitation_id']}/accept", {}, format="json")
    api.get(f"{v1}/members/{charlie.username}")
    api.put(f"{v1}/members/{charlie.username}", {"may_skip_review": True}, format="json")
    api.delete(f"{v1}/members/{charlie.username}")
    key = api.post(f"{v1}/access-keys", {"description": "CI"}, format="json").json()
    api.get(f"{v1}/access-keys")
    api.delete(f"{v1}/access-keys/{key['ak']}")
    token = api.post(f"{v1}/auth-tokens", {}, format="json").json()
    api.get(f"{v1}/auth-tokens")
    api.delete(f"{v1}/auth-tokens/{token['id']}")
    api.get(f"{v1}/project-settings")
    api.put(f"{v1}/project-settings", {"allow_self_approval": True}, format="json")
    remote = {"kind": "metastudio", "region": "cn-north-4", "remote_project_id": "p1", "ak": "AK1", "sk": "SK1"}
    api.put(f"{v1}/project-settings", {"render_target": remote}, format="json")
    api.get(f"{v1}/project-settings")
    api.put(f"{v1}/project-settings", {"render_target": {"kind": "local"}}, format="json")
    api.post(f"{v1}/project-settings/render-target/test", {}, format="json")     # renders here: 400
    api.post(f"{v1}/remote-assets/sync", {}, format="json")                       # renders here: 400
    api.get(f"{v1}/review-words")
    api.put(f"{v1}/review-words", {"review_words": ["cheapest"]}, format="json")
    api.get(f"{v1}/audit-logs?limit=20")
    api.delete(f"{scripts}/{script_id}")
    api.delete(f"{v1}/digital-assets/{uploaded['asset_id']}")

    described = {(method, path) for path, method, _ in operations(schema)}
    assert described - api.seen - bob.seen - outsider.seen - charlie_api.seen == RENDERS


def test_a_refused_request_answers_the_error_body_the_schema_describes(schema, client, project):
    checked = Checked(client, schema)
    checked.get(f"/v1/{project.id}/digital-human-videos")           # not signed in: 401
    doc = copy.deepcopy(schema)
    answer = doc["paths"]["/v1/{project_id}/digital-human-videos"]["get"]["responses"]["401"]
    assert resolved(doc, answer["content"]["application/json"]["schema"])["required"] == ["error_code", "error_msg"]


def test_the_schema_is_valid_openapi_and_generates_without_warnings(tmp_path):
    target = tmp_path / "openapi.yaml"
    call_command("spectacular", validate=True, fail_on_warn=True, file=str(target))
    assert target.stat().st_size > 10_000
