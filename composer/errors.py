"""Domain errors shared by the services of every room. The API maps them to MetaStudio's error body."""
from __future__ import annotations

from composer.spec.errors import (
    ERROR_CONFLICT,
    ERROR_FORBIDDEN,
    ERROR_NOT_FOUND,
    ERROR_PARAMETER,
    ERROR_REMOTE,
)


class DomainError(Exception):
    """A rule of the product refused a request; the message names the field or object and the rule."""

    status = 400
    error_code = ERROR_PARAMETER

    def __init__(self, error_msg: str, *, error_code: str | None = None, status: int | None = None):
        super().__init__(error_msg)
        self.error_msg = error_msg
        if error_code:
            self.error_code = error_code
        if status:
            self.status = status


class InvalidInput(DomainError):
    pass


def json_object(data) -> dict:
    """A request body that must be a JSON object, as it is; anything else is refused naming the body."""
    if not isinstance(data, dict):
        raise InvalidInput("body: must be a JSON object")
    return data


class Forbidden(DomainError):
    status = 403
    error_code = ERROR_FORBIDDEN


class NotFound(DomainError):
    status = 404
    error_code = ERROR_NOT_FOUND


class Conflict(DomainError):
    status = 409
    error_code = ERROR_CONFLICT


class RemoteFailed(DomainError):
    """The project's MetaStudio account refused a call or could not be reached; the message says why."""

    status = 502
    error_code = ERROR_REMOTE
