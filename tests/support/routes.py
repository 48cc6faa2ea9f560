"""The API's routes read from the URL conf, and the roles a probe tries on each, so that a probe covers an endpoint
the day it is added."""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern

from composer.api.urls import urlpatterns

ROLES = ("owner", "editor", "approver", "viewer", "outsider")
HANDLERS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    pattern: str          # as in the URL conf, e.g. v1/<str:project_id>/digital-assets/<str:asset_id>
    view: type
    methods: tuple[str, ...]
    name: str = ""        # the URL conf's name for it

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(re.findall(r"<(?:\w+:)?(\w+)>", self.pattern))

    def path(self, values: dict[str, str]) -> str:
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], self.pattern)

    def __str__(self) -> str:
        return self.pattern


def api_routes() -> list[Route]:
    routes = []
    for entry in urlpatterns:
        assert isinstance(entry, URLPattern), entry
        view = entry.callback.view_class
        routes.append(Route(str(entry.pattern), view, tuple(m for m in HANDLERS if hasattr(view, m)), entry.name))
    return routes


def response_body(response) -> bytes:
    """The bytes a test client's response carries, streamed (a file) or not; a streamed file is closed after.
    Not response.close(): its request_finished signal would close the test's database connection."""
    if not response.streaming:
        return response.content
    body = b"".join(response.streaming_content)
    if getattr(response, "file_to_stream", None):
        response.file_to_stream.close()
    return body
