"""A MetaStudio account over HTTP: every request signed (SDK-HMAC-SHA256), timeouts, retries with backoff on
429 and 5xx, a token bucket per project, and refusals turned into errors that say what happened.

Nothing here logs the SK, a signature, an Authorization header or a URL's query (download links are signed):
a log line names the method, the path and the status only.
"""
from __future__ import annotations

import ipaddress
import json
import logging
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from composer.lib import sdk_hmac
from composer.metastudio.ratelimit import TokenBucket

log = logging.getLogger("composer.metastudio")
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_BACKOFF_SECONDS = 30.0
ASSET_PAGE = 50
MAX_ASSETS = 5000     # of one type: a remote whose count never ends is not followed forever


@dataclass(frozen=True)
class Account:
    """Where and as whom to call: the endpoint URL, the remote project id, the AK and its SK."""

    endpoint: str
    project_id: str
    ak: str
    sk: str = field(repr=False)


class MetaStudioError(Exception):
    """A call to MetaStudio failed; str() says why in words, error_code is the remote's when it gave one."""

    def __init__(self, message: str, *, status: int | None = None, error_code: str = "", error_msg: str = ""):
        super().__init__(message)
        self.status, self.error_code, self.error_msg = status, error_code, error_msg


class CredentialsRefused(MetaStudioError):
    """401/403: the AK/SK (or the project id) is not accepted."""


class RemoteRejected(MetaStudioError):
    """4xx other than 401/403/429: the remote refused the request itself (error_code, error_msg say why)."""


class RemoteUnavailable(MetaStudioError):
    """The remote could not be reached, or kept answering 429/5xx past the retries."""


def _remote_error(response: httpx.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except (ValueError, json.JSONDecodeError):
        return "", response.text[:200].strip()
    if not isinstance(body, dict):
        return "", ""
    return str(body.get("error_code") or ""), str(body.get("error_msg") or "")


def check_host(endpoint: str, *, allow_private: bool) -> None:
    """Refuse an endpoint whose host resolves to a loopback, private or otherwise non-public address."""
    if allow_private:
        return
    parts = urlsplit(endpoint)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise RemoteUnavailable(f"MetaStudio endpoint {parts.hostname} does not resolve") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise RemoteUnavailable(f"MetaStudio endpoint {parts.hostname} resolves to a non-public address "
                                    f"({address})")


class MetaStudioClient:
    def __init__(self, account: Account, *, timeout: float = 30, max_retries: int = 3, backoff: float = 0.5,
                 bucket: TokenBucket | None = None, allow_private: bool = False,
                 transport: httpx.BaseTransport | None = None, sleep: Callable[[float], None] = time.sleep):
        self.account = account
        self.max_retries, self.backoff = max_retries, backoff
        self.bucket, self.allow_private, self._sleep = bucket, allow_private, sleep
        self._host = urlsplit(account.endpoint).netloc
        self._http = httpx.Client(base_url=account.endpoint, timeout=timeout, transport=transport,
                                  follow_redirects=False, headers={"User-Agent": "Composer/1.0"})

    def __enter__(self) -> MetaStudioClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- the calls --------------------------------------------------------------------------------------------

    def list_jobs(self, *, limit: int = 1, offset: int = 0, asset_name: str = "") -> dict[str, Any]:
        """One page of the remote project's video jobs, newest first (a cheap read: the connection test uses it);
        asset_name narrows it to jobs whose output asset name contains it."""
        query: list[tuple[str, Any]] = [("offset", offset), ("limit", limit), ("sort_key", "create_time"),
                                        ("sort_dir", "desc")]
        return self.request("GET", "digital-human-videos",
                            query=query + ([("asset_name", asset_name)] if asset_name else []))

    def create_video(self, body: dict[str, Any]) -> dict[str, Any]:
        """Submit a 2D digital-human video job; answers {"job_id": ...}. Not retried on 5xx or a lost
        connection (the remote may have made the job): the caller decides, knowing what it sent."""
        return self.request("POST", "2d-digital-human-videos", body=body)

    def show_video(self, job_id: str) -> dict[str, Any]:
        """The remote job: state, duration, output_asset_config.output_asset_id and download urls, error_info."""
        return self.request("GET", f"2d-digital-human-videos/{job_id}")

    def cancel_video(self, job_id: str) -> dict[str, Any]:
        return self.request("POST", f"2d-digital-human-videos/{job_id}/cancel", body={})

    def list_assets(self, asset_type: str, *, offset: int = 0, limit: int = ASSET_PAGE) -> dict[str, Any]:
        return self.request("GET", "digital-assets", query=[("asset_type", asset_type), ("offset", offset),
                                                            ("limit", limit)])

    def iter_assets(self, asset_type: str, *, page: int = ASSET_PAGE) -> Iterator[dict[str, Any]]:
        """Every asset of one type in the remote project, page by page."""
        offset = 0
        while True:
            body = self.list_assets(asset_type, offset=offset, limit=page)
            assets = body.get("assets") or []
            yield from assets
            offset += len(assets)
            if not assets or offset >= min(int(body.get("count") or 0), MAX_ASSETS):
                return

    # --- signing, retries, errors -----------------------------------------------------------------------------

    def request(self, method: str, resource: str, *, query: list[tuple[str, Any]] | None = None,
                body: Any = None, idempotent: bool | None = None) -> dict[str, Any]:
        """Call /v1/{remote project}/{resource}; the JSON answer, or a MetaStudioError saying why not.

        429 is always retried (nothing was done); 5xx and failed connections only for idempotent calls (GET,
        unless said otherwise), since a create that timed out may have happened."""
        path = f"/v1/{self.account.project_id}/{resource}"
        pairs = [(k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in (query or [])]
        data = json.dumps(body).encode("utf-8") if body is not None else b""
        retry_failures = method.upper() in ("GET", "HEAD") if idempotent is None else idempotent
        check_host(self.account.endpoint, allow_private=self.allow_private)
        attempt = 0
        while True:
            if self.bucket is not None:
                self.bucket.acquire()
            response = None
            try:
                response = self._send(method, path, pairs, data)
            except httpx.TransportError as exc:
                log.warning("MetaStudio %s %s failed: %s", method, path, type(exc).__name__)
                if not retry_failures or attempt >= self.max_retries:
                    raise RemoteUnavailable(f"MetaStudio at {self._host} could not be reached "
                                            f"({type(exc).__name__})") from exc
            else:
                log.info("MetaStudio %s %s -> %s", method, path, response.status_code)
                retryable = response.status_code == 429 or (response.status_code >= 500 and retry_failures)
                if not retryable or attempt >= self.max_retries:
                    return self._answer(response)
            self._sleep(self._delay(attempt, response))
            attempt += 1

    def _send(self, method: str, path: str, pairs: list[tuple[str, str]], data: bytes) -> httpx.Response:
        headers = sdk_hmac.sign_request(self.account.ak, self.account.sk, method, path, host=self._host,
                                        query=pairs, body=data,
                                        headers={"Content-Type": "application/json",
                                                 "X-Project-Id": self.account.project_id})
        target = quote(path, safe="/~") + (f"?{sdk_hmac.query_string(pairs)}" if pairs else "")
        return self._http.request(method, target, content=data or None, headers=headers)

    def _delay(self, attempt: int, response: httpx.Response | None) -> float:
        wait = self.backoff * (2 ** attempt)
        if response is not None and response.headers.get("Retry-After", "").isdigit():
            wait = max(wait, float(response.headers["Retry-After"]))
        return min(wait, MAX_BACKOFF_SECONDS)

    def _answer(self, response: httpx.Response) -> dict[str, Any]:
        status = response.status_code
        if 200 <= status < 300:
            if not response.content:
                return {}
            try:
                return response.json()
            except ValueError as exc:
                raise RemoteRejected(f"MetaStudio answered {status} with a body that is not JSON",
                                     status=status) from exc
        code, message = _remote_error(response)
        said = f": {code} {message}".rstrip() if code or message else ""
        if status in (401, 403):
            raise CredentialsRefused(f"MetaStudio refused the credentials (AK {self.account.ak}, project "
                                     f"{self.account.project_id}){said}", status=status, error_code=code,
                                     error_msg=message)
        if status == 429 or status >= 500:
            raise RemoteUnavailable(f"MetaStudio at {self._host} answered {status} after "
                                    f"{self.max_retries + 1} attempts{said}", status=status, error_code=code,
                                    error_msg=message)
        raise RemoteRejected(f"MetaStudio refused the request ({status}){said}", status=status, error_code=code,
                             error_msg=message)
