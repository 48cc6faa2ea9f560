"""Every endpoint x role is allowed or denied as the matrix says; other projects' objects stay invisible."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from composer.assets.services import create_asset, upload_new_asset
from composer.scripts.approvals import request_approval
from composer.scripts.services import create_script
from composer.teams.invitations import invite
from composer.teams.models import Membership
from composer.teams.permissions import MATRIX
from tests.support.factories import create_body, create_composition
from tests.support.media import png_bytes
from tests.support.users import make_user, token_client

pytestmark = pytest.mark.django_db


# (method, path under /v1/{project_id}, action, body, the status every role the matrix allows gets). The objects
# are ready for each call: {blank} is an asset waiting for its file, {pending} a script awaiting a decision.
ENDPOINTS = [
    ("get", "/digital-assets", "asset.view", None, 200),
    ("post", "/digital-assets", "asset.create", {"asset_name": "x", "asset_type": "IMAGE"}, 200),
    ("post", "/digital-assets/upload", "asset.create", "multipart", 200),
    ("get", "/digital-assets/{asset}", "asset.view", None, 200),
    ("put", "/digital-assets/{asset}", "asset.edit", {"asset_name": "y"}, 200),
    ("post", "/digital-assets/{blank}/file", "asset.create", "multipart", 200),
    ("delete", "/digital-assets/{asset}", "asset.delete", None, 204),
    ("get", "/digital-human-video-scripts", "script.view", None, 200),
    ("post", "/digital-human-video-scripts", "script.edit", {"script_name": "s", **create_composition()}, 200),
    ("post", "/digital-human-video-scripts/validate", "script.view", create_composition(), 200),
    ("get", "/digital-human-video-scripts/{script}", "script.view", None, 200),
    ("put", "/digital-human-video-scripts/{script}", "script.edit", {"script_name": "renamed"}, 200),
    ("post", "/digital-human-video-scripts/{script}/copy", "script.edit", {}, 200),
    ("get", "/digital-human-video-scripts/{script}/revisions", "script.view", None, 200),
    ("get", "/digital-human-video-scripts/{script}/revisions/1", "script.view", None, 200),
    ("get", "/digital-human-video-scripts/{script}/revisions/1/diff/1", "script.view", None, 200),
    ("post", "/digital-human-video-scripts/{script}/revisions/1/restore", "script.edit", {}, 200),
    ("get", "/digital-human-video-scripts/{script}/approval-requests", "script.view", None, 200),
    ("post", "/digital-human-video-scripts/{script}/approval-requests", "script.request_approval", {}, 200),
    ("post", "/digital-human-video-scripts/{pending}/approve", "script.approve", {}, 200),
    ("post", "/digital-human-video-scripts/{pending}/reject", "script.approve", {"comment": "no"}, 200),
    ("delete", "/digital-human-video-scripts/{script}", "script.delete", None, 204),
    ("get", "/approval-requests", "script.view", None, 200),
    ("get", "/members", "members.view", None, 200),
    ("post", "/members", "members.manage", {"username": "charlie", "role": "viewer"}, 200),
    ("get", "/members/alice", "members.view", None, 200),
    ("put", "/members/alice", "members.manage", {"role": "approver"}, 200),
    ("delete", "/members/alice", "members.manage", None, 204),
    ("get", "/invitations", "invitations.view", None, 200),
    ("post", "/invitations/{invitation}/revoke", "invitations.manage", {}, 200),
    ("get", "/review-words", "project.view", None, 200),
    ("put", "/review-words", "project.manage", {"review_words": ["free"]}, 200),
    ("get", "/audit-logs", "audit.view", None, 200),
    ("get", "/brand-kit", "brand.view", None, 200),
    ("put", "/brand-kit", "brand.manage", {"palette": ["#112233"]}, 200),
    ("get", "/digital-human-videos", "job.view", None, 200),
    ("post", "/2d-digital-human-videos", "job.create", create_body(), 200),
]
ROLES = ["owner", "editor", "approver", "viewer"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Hundreds of users are made here; the production hasher would take minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def objects(project, alice):
    asset = upload_new_asset(project, {"asset_name": "a", "asset_type": "IMAGE"},
                             SimpleUploadedFile("a.png", png_bytes()), user=alice)
    blank = create_asset(project, {"asset_name": "blank", "asset_type": "IMAGE"}, user=alice)
    script = create_script(project, {"script_name": "s", **create_composition()}, user=alice)
    pending = create_script(project, {"script_name": "p", **create_composition()}, user=alice)
    request_approval(pending, {}, user=alice)
    invitation = invite(project, "erin", role="viewer", by=alice)
    return {"asset": asset.id, "blank": blank.id, "script": script.id, "pending": pending.id,
            "invitation": invitation.pk}


def call(client, project_id: str, method: str, path: str, body, objects):
    target = f"/v1/{project_id}" + path.format(**objects)
    if body == "multipart":
        return client.post(target, {"file": SimpleUploadedFile("b.png", png_bytes()), "asset_name": "b",
                                    "asset_type": "IMAGE"}, format="multipart")
    return getattr(client, method)(target, body, format="json") if body is not None else \
        getattr(client, method)(target)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "action", "body", "allowed"), ENDPOINTS,
                         ids=[f"{m} {p} ({a})" for m, p, a, _, _ in ENDPOINTS])
def test_each_endpoint_follows_the_matrix(django_user_model, project, objects, charlie, role, method, path, action,
                                          body, allowed):
    dave = make_user(django_user_model, "dave")
    Membership.objects.create(project=project, user=dave, role=role)
    response = call(token_client(dave), project.id, method, path, body, objects)
    if role in MATRIX[action]:
        assert response.status_code == allowed, response.content
    else:
        assert response.status_code == 403, response.content
        assert action in response.json()["error_msg"]


@pytest.mark.parametrize(("method", "path", "action", "body", "allowed"), ENDPOINTS,
                         ids=[f"{m} {p}" for m, p, _, _, _ in ENDPOINTS])
def test_non_members_are_refused_everywhere(charlie_client, project, objects, method, path, action, body, allowed):
    response = call(charlie_client, project.id, method, path, body, objects)
    assert response.status_code == 403 and "not a member" in response.json()["error_msg"]


def test_other_projects_objects_are_unknown_in_ones_own_project(charlie_client, other_project, objects):
    base = f"/v1/{other_project.id}"
    assert charlie_client.get(f"{base}/digital-assets/{objects['asset']}").status_code == 404
    assert charlie_client.delete(f"{base}/digital-assets/{objects['asset']}").status_code == 404
    assert charlie_client.get(f"{base}/digital-human-video-scripts/{objects['script']}").status_code == 404
    assert charlie_client.post(f"{base}/digital-human-video-scripts/{objects['script']}/copy").status_code == 404
    assert charlie_client.get(f"{base}/digital-assets", {"include_presets": "false"}).json()["count"] == 0
    assert charlie_client.get(f"{base}/digital-human-video-scripts").json()["count"] == 0
    assert charlie_client.get(f"{base}/approval-requests").json()["count"] == 0
    assert charlie_client.get(f"{base}/audit-logs").json()["count"] == 0
    job = charlie_client.post(f"{base}/2d-digital-human-videos",
                              {"script_id": objects["script"], "output_asset_config": {"asset_name": "x"}},
                              format="json")
    assert job.status_code == 400 and "no video script" in job.json()["error_msg"]
