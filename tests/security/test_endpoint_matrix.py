"""Every API route x every method (HEAD and OPTIONS included, and the ones it does not accept) x every role, and
each object id of another project put in this project's URL, checked against the permission matrix.

The routes come from the URL conf and the expectations from each view's `actions` and `MATRIX`, so an endpoint
added tomorrow is probed the day it lands; a route this file cannot derive an expectation for fails."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from composer.api.invitations import UserAPIView
from composer.api.projects import ProjectAPIView
from composer.teams.models import Role
from composer.teams.permissions import MATRIX
from tests.support.media import png_bytes
from tests.support.routes import api_routes, response_body

pytestmark = pytest.mark.django_db

ROUTES = api_routes()
METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")
MEMBERS = {"owner": Role.OWNER, "editor": Role.EDITOR, "approver": Role.APPROVER, "viewer": Role.VIEWER}
# Routes outside any project, open to everyone (they describe the API): GET, HEAD and OPTIONS answer, the rest 405.
PUBLIC = {"v1/openapi.json", "v1/docs"}
# Path parameters holding an object of the project, probed with another project's object of the same kind.
FOREIGN = ("job_id", "asset_id", "script_id", "link_id", "username", "ak", "token_id", "key", "invitation_id",
           "batch_id")
# Path parameters that name a revision of the script the URL already names: another project's revision is reached
# only through its script, which script_id's probe covers.
WITHIN_SCRIPT = ("number", "a", "b")
# Bodies that stop a call before any render or speech synthesis starts (the call still runs the permission
# check, the lookups and the body's validation); every other write sends {}.
SAFE_BODIES = {
    "previews": {"composition": {}, "scene": -1},
    "script-scene-previews": {"scene": -1},
    "voice-samples": {"text": ""},
    "presenter-previews": {"rig": ""},
}
# A 4xx that still means "allowed": the body (a safe {}) or the object's state refused the call, not the role.
# Never 404: every path names an object of the project.
REFUSED_BY_BODY_OR_STATE = {400, 409}


def verdict(route, method: str, role: str) -> object:
    """What `role` must get for `method` on `route`: "allowed" or a status code. Fails for a route the matrix
    cannot speak for, so that a new kind of endpoint has to be given its rule here."""
    if route.pattern in PUBLIC:
        return "allowed" if method in ("GET", "HEAD", "OPTIONS") else 405
    if issubclass(route.view, UserAPIView):
        # The caller's own invitations, outside any project: every signed-in user, each reaching only their own.
        # The probe's invitation is the outsider's, so anyone else answering it is told it does not exist.
        if role == "anonymous":
            return 401
        handled = {handler.upper() for handler in route.methods} | {"OPTIONS"}
        if "GET" in handled:
            handled.add("HEAD")
        if method not in handled:
            return 405
        if method == "POST" and "invitation_id" in route.params and role != "outsider":
            return 404
        return "allowed"
    if not issubclass(route.view, ProjectAPIView):
        pytest.fail(f"{route}: not a project view and not listed as PUBLIC; give it an expectation")
    for handler in route.methods:
        if route.view.action_for(handler.upper()) is None:
            pytest.fail(f"{route}: {handler.upper()} has a handler but no permission action")
    if role == "anonymous":
        return 401
    if role == "outsider":
        return 403
    action = route.view.action_for(method)
    if action is None:
        return 405
    return "allowed" if MEMBERS[role] in MATRIX[action] else 403


@contextmanager
def undone():
    """Whatever the request changes in the database is rolled back, so the next role meets the same objects."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def body_for(route, method: str) -> dict:
    if method not in ("POST", "PUT", "PATCH"):
        return {}
    if any(parser.media_type.startswith("multipart/") for parser in route.view().get_parsers()):
        upload = SimpleUploadedFile("probe.png", png_bytes(), content_type="image/png")
        return {"data": {"file": upload, "asset_name": "probe", "asset_type": "IMAGE"}, "format": "multipart"}
    return {"data": SAFE_BODIES.get(route.name, {}), "format": "json"}


def call(client, method: str, route, values: dict):
    with undone():
        response = getattr(client, method.lower())(route.path(values), **body_for(route, method))
    response.body = response_body(response)
    return response


def values_for(world, role: str, values: dict) -> dict:
    """Each member revokes their own credentials: the key and token of `role`, not the owner's."""
    own = world["credentials"].get(role)
    return {**values, **own} if own else values


def check(route, method: str, role: str, response, expected) -> None:
    status = response.status_code
    where = f"{role} {method} {route}: {status} {response.body[:200]!r}"
    assert status < 500, where
    if expected == "allowed":
        assert status not in (401, 403, 405), where
        if method in ("GET", "HEAD", "OPTIONS"):
            assert 200 <= status < 300 or status == 304, f"{where}: a read of the project's own objects"
        else:
            assert 200 <= status < 300 or status in REFUSED_BY_BODY_OR_STATE, where
    else:
        assert status == expected, f"{where}, the matrix says {expected}"
    if method == "HEAD":
        assert not response.body, where


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_method_answers_every_role_as_the_matrix_says(world, route):
    for method in METHODS:
        for role in (*MEMBERS, "outsider", "anonymous"):
            response = call(world["clients"][role], method, route, values_for(world, role, world["values"]))
            check(route, method, role, response, verdict(route, method, role))


OBJECT_ROUTES = [route for route in ROUTES if set(route.params) - {"project_id"}]


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=str)
def test_another_projects_objects_are_unknown_here(world, foreign, route):
    unknown = set(route.params) - {"project_id"} - set(FOREIGN) - set(WITHIN_SCRIPT)
    assert not unknown, f"{route}: no foreign value for {unknown}; add the parameter to FOREIGN or WITHIN_SCRIPT"
    for param in set(route.params) & set(FOREIGN):
        for method in METHODS:
            for role in MEMBERS:
                values = {**values_for(world, role, world["values"]), param: foreign[param]}
                response = call(world["clients"][role], method, route, values)
                expected = verdict(route, method, role)
                where = f"{role} {method} {route} with another project's {param}: {response.status_code}"
                if method == "OPTIONS" and expected == "allowed":
                    # OPTIONS describes the endpoint without looking anything up: the same answer as for an id
                    # that exists nowhere, so it tells nothing of the other project.
                    missing = call(world["clients"][role], method, route, {**values, param: "missing"})
                    assert (response.status_code, response.body) == (missing.status_code, missing.body), where
                else:
                    assert response.status_code == (404 if expected == "allowed" else expected), where
