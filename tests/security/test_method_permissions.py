"""Every method of every API endpoint asks the permission matrix: HEAD and OPTIONS need what GET needs, a method
with no action is refused. Generated from the URL conf, so a new endpoint cannot be left out."""
from __future__ import annotations

import pytest

from composer.api.projects import ProjectAPIView
from tests.support.routes import ROLES, api_routes, response_body

pytestmark = pytest.mark.django_db

ROUTES = api_routes()
READABLE = [route for route in ROUTES if "get" in route.methods]
PROJECT_VIEWS = [route for route in ROUTES if issubclass(route.view, ProjectAPIView)]


def test_the_url_conf_has_the_endpoints_the_probe_found():
    patterns = {route.pattern for route in READABLE}
    assert {"v1/<str:project_id>/audit-logs", "v1/<str:project_id>/access-keys",
            "v1/<str:project_id>/auth-tokens"} <= patterns
    assert len(PROJECT_VIEWS) >= 40


@pytest.mark.parametrize("route", PROJECT_VIEWS, ids=str)
def test_every_handler_of_a_project_view_names_its_action(route):
    for method in route.methods:
        assert route.view.action_for(method.upper()), f"{route}: {method.upper()} has no permission action"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_head_answers_as_get_for_every_role(world, route):
    path = route.path(world["values"])
    for role in ROLES:
        client = world["clients"][role]
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code, (role, path, get.status_code, head.status_code)
        assert not response_body(head), (role, path)
        if get.status_code == 403:
            assert head.get("Content-Length") in (None, "0") or int(head["Content-Length"]) == len(get.content)
        response_body(get)


@pytest.mark.parametrize("route", READABLE, ids=str)
def test_options_needs_what_get_needs(world, route):
    path = route.path(world["values"])
    for role in ROLES:
        client = world["clients"][role]
        get, options = client.get(path), client.options(path)
        if get.status_code == 403:
            assert options.status_code == 403, (role, path, options.status_code)


def test_a_viewer_reads_nothing_of_the_audit_log_or_keys_by_head(world):
    viewer = world["clients"]["viewer"]
    project_id = world["project"].id
    for name in ("audit-logs", "access-keys", "auth-tokens"):
        response = viewer.head(f"/v1/{project_id}/{name}")
        assert response.status_code == 403, name
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("route", [r for r in PROJECT_VIEWS if "get" not in r.methods], ids=str)
def test_head_and_options_of_an_endpoint_without_get_are_refused(world, route):
    path = route.path(world["values"])
    owner = world["clients"]["owner"]
    assert owner.head(path).status_code == 405
    assert owner.options(path).status_code == 405
    assert world["clients"]["outsider"].head(path).status_code == 403
