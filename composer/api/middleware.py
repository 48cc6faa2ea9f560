"""X-Request-Id on every response, and JSON (never HTML) errors for anything under /v1/."""
from __future__ import annotations

import logging
import uuid

from django.core.exceptions import RequestDataTooBig

from composer.api.errors import INTERNAL, NOT_FOUND, TOO_LARGE, error_response

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
            response = error_response(404, NOT_FOUND, f"No API resource at {request.path}")
        response["X-Request-Id"] = request.request_id
        return response

    def process_exception(self, request, exception):
        if not is_api_path(request.path):
            return None
        if isinstance(exception, RequestDataTooBig):
            return error_response(413, TOO_LARGE, "Request body too large")
        log.exception("Unhandled error on %s", request.path, exc_info=exception)
        return error_response(500, INTERNAL, "Internal Error")
