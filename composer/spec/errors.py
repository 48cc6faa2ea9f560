"""MetaStudio's error codes, the one table of them, and the one error type of the specification layer.

Every room takes its codes from here: the domain errors (composer.errors), the API's exception handler, a job's
error_info. ERROR_CODES says which HTTP status a code is answered with and what it means."""
from __future__ import annotations

ERROR_UNAUTHORIZED = "MSS.00000001"
ERROR_FORBIDDEN = "MSS.00000002"
ERROR_PARAMETER = "MSS.00000003"
ERROR_INTERNAL = "MSS.00000004"
ERROR_NOT_FOUND = "MSS.00000005"
ERROR_CONFLICT = "MSS.00000006"
ERROR_TOO_LARGE = "MSS.00000007"
ERROR_METHOD = "MSS.00000008"
ERROR_UNAVAILABLE = "MSS.00000009"
# Composer's own: the project's MetaStudio account (its render target) refused a call or could not be reached.
ERROR_REMOTE = "MSS.00000013"
# What Huawei Cloud's API gateway answers in front of MetaStudio when a caller exceeds its request rate.
ERROR_THROTTLED = "APIG.0308"
# A job's error_info only (never an HTTP answer): why a render failed.
ERROR_DOWNLOAD = "MSS.00000010"
ERROR_ASSET_MISSING = "MSS.00000011"
ERROR_RENDER_LIMIT = "MSS.00000012"

#: code -> (HTTP status, or None for a job's error_info; meaning)
ERROR_CODES: dict[str, tuple[int | None, str]] = {
    ERROR_UNAUTHORIZED: (401, "not signed in, or the signature or token is not valid"),
    ERROR_FORBIDDEN: (403, "the caller's role or project does not allow this"),
    ERROR_PARAMETER: (400, "a parameter or body field breaks a rule; the message names it"),
    ERROR_INTERNAL: (500, "the server failed, or a render failed for a reason given in the message"),
    ERROR_NOT_FOUND: (404, "no such object in this project (410 for a share link that expired or was revoked)"),
    ERROR_CONFLICT: (409, "the object changed meanwhile or is in a state that does not allow this"),
    ERROR_TOO_LARGE: (413, "the request body is too large"),
    ERROR_METHOD: (405, "the method is not allowed on this path"),
    ERROR_UNAVAILABLE: (503, "the database or Redis is not answering; retry after the seconds Retry-After says"),
    ERROR_REMOTE: (502, "the project's MetaStudio account refused the call or could not be reached; the message "
                        "says why in words"),
    ERROR_THROTTLED: (429, "too many requests a minute; retry after the seconds the message says"),
    ERROR_DOWNLOAD: (None, "a file a render uses could not be downloaded from its URL"),
    ERROR_ASSET_MISSING: (None, "an asset a render uses is no longer available"),
    ERROR_RENDER_LIMIT: (None, "the render ran past the longest scene, video or render time the server allows"),
}


class SpecError(ValueError):
    """A request broke a rule of the specification. `field` is the full path, `rule` says what is wrong."""

    error_code = ERROR_PARAMETER

    def __init__(self, field: str, rule: str):
        super().__init__(f"{field}: {rule}" if field else rule)
        self.field = field
        self.rule = rule

    @property
    def error_msg(self) -> str:
        return f"{self.field}: {self.rule}" if self.field else self.rule
