"""Every API error leaves as MetaStudio's body: {"error_code": "MSS.xxxxxxxx", "error_msg": "..."}."""
from __future__ import annotations

import logging
import math
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from rest_framework import exceptions as drf
from rest_framework.response import Response

from composer.errors import DomainError
from composer.lib.outage import retry_after, unavailable_message, unavailable_service
from composer.spec import SpecError  # the spec layer is the one source of parameter rules
from composer.spec.errors import (
    ERROR_FORBIDDEN,
    ERROR_INTERNAL,
    ERROR_METHOD,
    ERROR_NOT_FOUND,
    ERROR_PARAMETER,
    ERROR_THROTTLED,
    ERROR_TOO_LARGE,
    ERROR_UNAUTHORIZED,
    ERROR_UNAVAILABLE,
)

log = logging.getLogger(__name__)


def error_body(code: str, msg: str) -> dict:
    return {"error_code": code, "error_msg": msg}


def error_response(status: int, code: str, msg: str) -> JsonResponse:
    response = JsonResponse(error_body(code, msg), status=status)
    if status == 503:
        response["Retry-After"] = str(retry_after())
    return response


def _unavailable(exc: BaseException) -> tuple[int, str, str] | None:
    service = unavailable_service(exc)
    if service is None:
        return None
    log.warning("answering 503: %s refused (%s)", service, exc)
    return 503, ERROR_UNAVAILABLE, unavailable_message(service)


def unavailable_response(exc: BaseException) -> JsonResponse | None:
    """503 in the error body when `exc` is the database or Redis refusing; None for any other error."""
    known = _unavailable(exc)
    return None if known is None else error_response(*known)


def server_error(request) -> JsonResponse:
    """Django's last resort under /v1/ (an error outside a view, e.g. in a middleware): the error body, 503 when
    PostgreSQL or Redis refused. Django calls this while handling the exception."""
    refused = unavailable_response(sys.exc_info()[1])
    if refused is not None:
        return refused
    return error_response(500, ERROR_INTERNAL, "Internal Error")


def _drf_detail(exc: drf.APIException) -> str:
    detail = exc.detail
    if isinstance(detail, list):
        return "; ".join(str(d) for d in detail)
    if isinstance(detail, dict):
        return "; ".join(f"{k}: {v}" for k, v in detail.items())
    return str(detail)


def classify(exc: Exception) -> tuple[int, str, str] | None:
    """(status, error_code, error_msg) for an exception we know how to explain; None otherwise."""
    if isinstance(exc, SpecError):
        return 400, exc.error_code, exc.error_msg
    if isinstance(exc, DomainError):
        return exc.status, exc.error_code, exc.error_msg
    if isinstance(exc, RequestDataTooBig):
        return 413, ERROR_TOO_LARGE, "Request body too large"
    if isinstance(exc, (drf.NotAuthenticated, drf.AuthenticationFailed)):
        return 401, ERROR_UNAUTHORIZED, _drf_detail(exc)
    if isinstance(exc, drf.PermissionDenied):
        return 403, ERROR_FORBIDDEN, _drf_detail(exc)
    if isinstance(exc, (drf.NotFound, Http404)):
        return 404, ERROR_NOT_FOUND, "Not found" if isinstance(exc, Http404) else _drf_detail(exc)
    if isinstance(exc, drf.MethodNotAllowed):
        return 405, ERROR_METHOD, _drf_detail(exc)
    if isinstance(exc, drf.UnsupportedMediaType):
        return 400, ERROR_PARAMETER, f"Content-Type: {exc.detail} Send the body as application/json."
    if isinstance(exc, drf.ParseError):
        return 400, ERROR_PARAMETER, _drf_detail(exc)
    if isinstance(exc, drf.Throttled):
        return 429, ERROR_THROTTLED, (f"The throttling threshold has been reached: at most "
                                      f"{settings.COMPOSER_API_RATE_PER_MINUTE} requests a minute. "
                                      f"Retry after {math.ceil(exc.wait or 1)} s.")
    if isinstance(exc, drf.APIException):
        return exc.status_code, ERROR_PARAMETER if exc.status_code < 500 else ERROR_INTERNAL, _drf_detail(exc)
    return _unavailable(exc)


def exception_handler(exc: Exception, context: dict) -> Response:
    known = classify(exc)
    if known is None:
        log.exception("Unhandled API error", exc_info=exc)
        known = (500, ERROR_INTERNAL, "Internal Error")
    status, code, msg = known
    response = Response(error_body(code, msg), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'SDK-HMAC-SHA256 realm="composer"'
    if isinstance(exc, drf.Throttled):
        response["Retry-After"] = str(math.ceil(exc.wait or 1))
    if status == 503:
        response["Retry-After"] = str(retry_after())
    return response
