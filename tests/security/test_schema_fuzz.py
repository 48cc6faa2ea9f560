"""schemathesis against the live OpenAPI schema: every operation, called with an X-Auth-Token and with an AK/SK
signature (each request signed anew, so the replay guard never sees the same signature twice), answers no 5xx and
exactly as the schema says (status code, content type, headers and body).

The app runs in-process through schemathesis's WSGI transport. CI runs a few cases per operation; `make fuzz` runs
this file alone with COMPOSER_FUZZ_EXAMPLES cases per operation (200 there)."""
from __future__ import annotations

import io
import itertools
import os
from contextlib import contextmanager
from urllib.parse import parse_qsl

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation

from composer.teams.services import create_access_key, create_auth_token
from tests.support.signing import HOST, sdk_signed

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLES = int(os.environ.get("COMPOSER_FUZZ_EXAMPLES", "0")) or None
# The coverage phase (every boundary value and missing part the schema implies, and unexpected methods) runs
# without a bound on its cases; it is part of the long run only.
FULL = EXAMPLES is not None
EXAMPLES = EXAMPLES or 4
# Response conformance and server errors. Left out: the checks on how strictly input is refused or accepted
# (negative_data_rejection, positive_data_acceptance): the schema describes what a client may send, while the
# spec's own rules (composer.spec) are stricter than JSON Schema can say, and tests/security/test_request_bodies
# probes the refusals.
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_headers_conformance", "response_schema_conformance")


class Signed:
    """WSGI middleware: signs each request as the SDK does with `key` (AK/SK), after schemathesis built it."""

    nonce = itertools.count()

    def __init__(self, app, key=None):
        self.app, self.key = app, key

    def __call__(self, environ, start_response):
        if self.key is not None:
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
            path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "replace")
            query = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
            # A signed header of our own makes every signature new, even for two identical requests in a second.
            # The SDK always sends (and signs) a Content-Type, a body or not.
            environ["CONTENT_TYPE"] = environ.get("CONTENT_TYPE") or "application/json"
            headers = sdk_signed(self.key.ak, self.key.sk, environ["REQUEST_METHOD"], path, query=query, body=body,
                                 headers={"Content-Type": environ["CONTENT_TYPE"],
                                          "X-Probe-Nonce": str(next(self.nonce))})
            for name, value in headers.items():
                if name.lower() != "content-type":
                    environ["HTTP_" + name.upper().replace("-", "_")] = value
            environ["HTTP_HOST"] = HOST
        return self.app(environ, start_response)


APP = Signed(get_wsgi_application())
SCHEMA = schemathesis.openapi.from_wsgi("/v1/openapi.json", APP)
SCHEMA.config.generation.update(modes=["positive", "negative"], max_examples=EXAMPLES, deterministic=True,
                                database="none")
SCHEMA.config.phases.coverage.enabled = FULL
# Operations whose valid cases render (a presenter built, a scene played with its voice, a voice sample spoken):
# each such case takes seconds to a minute on a loaded 2-core machine, more than the CI budget of this file. They run
# in `make fuzz`; in CI their own tests (tests/api/test_presenters.py, test_scene_previews.py, test_speech.py) check
# their answers.
RENDERS = ("create_presenter", "create_presenter_preview", "create_scene_preview", "create_voice_sample")
OPERATIONS = SCHEMA if FULL else SCHEMA.exclude(operation_id=list(RENDERS))


@pytest.fixture
def live(world):
    """The WSGI app on the test's database: Django's request signals would close its connection (as the test
    client, the WSGI transport leaves them out). The owner calls, with a token and with an access key."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    owner = world["users"]["owner"]
    yield {**world, "token": create_auth_token(owner)[1], "key": create_access_key(owner, world["project"])}
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@contextmanager
def undone():
    """What a call changes in the database is rolled back: both credentials meet the same objects."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@OPERATIONS.parametrize()
@pytest.mark.parametrize("caller", ["owner"])  # the role that may call every operation (also names each test)
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_its_schema_says(case, live, caller):
    # The path names the test project, so that cases reach the operation rather than stopping at "not a member",
    # and, unless the case is about a broken path, its objects (the caller's spare key and token, not the ones it
    # calls with); bodies and queries are generated.
    values = {**live["values"], **live["credentials"][caller]}
    path = case.meta.components.get(ParameterLocation.PATH) if case.meta else None
    if path is not None and path.mode == GenerationMode.NEGATIVE:
        values = {"project_id": values["project_id"]}
    case.path_parameters = {name: values.get(name, value) for name, value in (case.path_parameters or {}).items()}
    checks = [getattr(schemathesis.checks, name) for name in CHECKS]
    for key, headers in ((None, {"X-Auth-Token": live["token"]}), (live["key"], {})):
        APP.key = key
        with undone():
            case.validate_response(case.call(headers=headers), checks=checks)
