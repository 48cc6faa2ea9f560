"""MetaStudio's error codes live in one table (composer.spec.errors.ERROR_CODES); every room answers from it."""
from __future__ import annotations

import re
from pathlib import Path

from django.core.exceptions import RequestDataTooBig
from rest_framework import exceptions as drf

from composer.api.errors import classify
from composer.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound, RemoteFailed
from composer.jobs.engine import explain_failure
from composer.jobs.sharing import ShareLinkGone
from composer.lib.fetch import FetchRefused
from composer.spec.errors import ERROR_CODES, ERROR_NOT_FOUND, SpecError

ROOT = Path(__file__).resolve().parents[2] / "composer"


def test_no_module_spells_a_code_outside_the_table():
    table = ROOT / "spec" / "errors.py"
    spelled = [f"{path.relative_to(ROOT)}:{number}" for path in ROOT.rglob("*.py") if path != table
               for number, line in enumerate(path.read_text().splitlines(), 1)
               if re.search(r"""["'](MSS\.\d{8}|APIG\.\d{4})["']""", line)]
    assert spelled == []


def test_domain_errors_answer_the_status_their_code_stands_for():
    for error in (InvalidInput("x: y"), Forbidden("x: y"), NotFound("x: y"), Conflict("x: y"), RemoteFailed("x")):
        assert ERROR_CODES[error.error_code][0] == error.status, type(error).__name__
    assert ShareLinkGone.error_code == ERROR_NOT_FOUND and ShareLinkGone.status == 410
    assert ERROR_CODES[SpecError("a", "b").error_code][0] == 400


def test_every_answer_of_the_exception_handler_uses_a_code_of_the_table():
    for exc in (SpecError("a", "b"), DomainError("x"), RequestDataTooBig(), drf.NotAuthenticated(),
                drf.PermissionDenied(), drf.NotFound(), drf.MethodNotAllowed("PATCH"),
                drf.UnsupportedMediaType("text/plain"), drf.ParseError(), drf.Throttled(wait=3)):
        status, code, _ = classify(exc)
        assert code in ERROR_CODES, exc
        assert ERROR_CODES[code][0] == status, exc


def test_a_failed_render_explains_itself_with_a_job_code_of_the_table():
    for exc, expected_status in ((FetchRefused("http://10.0.0.1/x.png: private address"), None),
                                 (LookupError("no active IMAGE asset 'gone'"), None), (RuntimeError("boom"), 500)):
        code, message = explain_failure(exc)
        assert ERROR_CODES[code][0] == expected_status and message
