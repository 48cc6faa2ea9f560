"""Faults between our MetaStudio client and the stand-in: an httpx transport that forwards every request to the
real network but, by a rule per call, drops the answer after the stand-in acted (a lost create) or answers a
status itself before forwarding (429, 500), so tests see what a flaky account does to a job."""
from __future__ import annotations

from collections.abc import Callable

import httpx


class FaultyTransport(httpx.BaseTransport):
    """`faults` maps (method, path suffix) to a list of faults used up in order: "lose" (send, then raise a read
    timeout as if the answer never came) or a status code (answered here, nothing sent). `seen` records every
    call as (method, path, status or the fault)."""

    def __init__(self, faults: dict[tuple[str, str], list]):
        self.faults = {key: list(value) for key, value in faults.items()}
        self.inner = httpx.HTTPTransport()
        self.seen: list[tuple[str, str, object]] = []

    def _fault(self, request: httpx.Request):
        for (method, suffix), queue in self.faults.items():
            if request.method == method and request.url.path.endswith(suffix) and queue:
                return queue.pop(0)
        return None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        fault = self._fault(request)
        if isinstance(fault, int):
            self.seen.append((request.method, request.url.path, fault))
            return httpx.Response(fault, json={"error_code": "MSS.00000000", "error_msg": f"injected {fault}"},
                                  headers={"Retry-After": "0"})
        response = self.inner.handle_request(request)
        response.read()
        self.seen.append((request.method, request.url.path, fault or response.status_code))
        if fault == "lose":
            response.close()
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return response

    def close(self) -> None:
        """Kept open: each call's client closes its transport, and this one serves the whole test."""


def faulty_client_for(transport: FaultyTransport) -> Callable:
    """A stand-in for composer.teams.remote_account.client_for that puts `transport` under every client."""
    from composer.teams.remote_account import client_for

    return lambda project: client_for(project, transport=transport)
