"""X-Request-Id on every response, JSON (never HTML) errors for anything under /v1/, and the last use of API
credentials recorded after the response has gone."""
from __future__ import annotations

import logging
import uuid

from django.core.exceptions import RequestDataTooBig

from composer.api.errors import error_response, unavailable_response
from composer.spec.errors import ERROR_INTERNAL, ERROR_NOT_FOUND, ERROR_TOO_LARGE

log = logging.getLogger(__name__)


def is_api_path(path: str) -> bool:
    return path.startswith("/v1/")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        response = self.get_response(request)
        if is_api_path(request.path) and response.status_code == 404 and \
                not response.get("Content-Type", "").startswith("application/json"):
            response = error_response(404, ERROR_NOT_FOUND, f"No API resource at {request.path}")
        response["X-Request-Id"] = request.request_id
        return response

    def process_exception(self, request, exception):
        if not is_api_path(request.path):
            return None
        if isinstance(exception, RequestDataTooBig):
            return error_response(413, ERROR_TOO_LARGE, "Request body too large")
        unavailable = unavailable_response(exception)
        if unavailable is not None:
            return unavailable
        log.exception("Unhandled error on %s", request.path, exc_info=exception)
        return error_response(500, ERROR_INTERNAL, "Internal Error")


class CredentialUseMiddleware:
    """Writes a token's or access key's last_used_at (when composer.teams.credentials.note_use says it is due)
    once the response is sent: the client never waits for it, and the connection goes back to the pool after."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        used = getattr(request, "composer_credential_used", None)
        if used is not None:
            response._resource_closers.append(lambda: _record(*used))
        return response


def _record(key, model, pk, when) -> None:
    from composer.teams.credentials import record_use

    try:
        record_use(key, model, pk, when)
    except Exception:  # a missed last-used time must never turn into an error
        log.warning("could not record the last use of %s %s", model.__name__, pk, exc_info=True)
