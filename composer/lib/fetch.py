"""The one guarded fetcher for every user-supplied URL (audio drives, images, callbacks).

Scheme allow-list, every resolved address public (not private, loopback, link-local, multicast, reserved)
unless settings allow private targets, size and time limits, and each redirect re-checked the same way.
"""
from __future__ import annotations

import ipaddress
import socket
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings

ALLOWED_SCHEMES = {"http", "https"}
MAX_REDIRECTS = 5


class FetchRefused(Exception):
    """The URL may not be fetched; the message says why."""


def _addresses(host: str, port: int) -> list[ipaddress._BaseAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchRefused(f"cannot resolve host {host!r}") from exc
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def check_url(url: str, *, unresolvable_ok: bool = False) -> None:
    """Raise FetchRefused unless `url` may be fetched under the current settings.

    `unresolvable_ok`: at submit, a host that does not resolve yet passes (DNS may be down for a moment); the
    fetch checks it again, and a host that resolves to a private address is refused either way."""
    parts = urlsplit(url)
    if parts.scheme not in ALLOWED_SCHEMES:
        raise FetchRefused(f"scheme {parts.scheme or '(none)'!r} is not allowed (use http or https)")
    if not parts.hostname:
        raise FetchRefused("the URL has no host")
    if parts.username or parts.password:
        raise FetchRefused("credentials in URLs are not allowed")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if settings.COMPOSER_FETCH_ALLOW_PRIVATE:
        return
    try:
        addresses = _addresses(parts.hostname, port)
    except FetchRefused:
        if unresolvable_ok:
            return
        raise
    for address in addresses:
        # An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is judged as the IPv4 address it carries: ipaddress calls
        # some of those global (::ffff:100.64.0.1, shared address space) although they reach the IPv4 host.
        address = getattr(address, "ipv4_mapped", None) or address
        if not address.is_global or address.is_multicast:
            raise FetchRefused(f"host {parts.hostname} resolves to a non-public address ({address})")


def _client() -> httpx.Client:
    return httpx.Client(follow_redirects=False, timeout=settings.COMPOSER_FETCH_TIMEOUT_SECONDS,
                        headers={"User-Agent": "Composer/1.0"})


def _follow(client: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
    for _ in range(MAX_REDIRECTS + 1):
        check_url(url)
        request = client.build_request(method, url, **kwargs)
        response = client.send(request, stream=True)
        if response.is_redirect:
            response.close()
            url = urljoin(url, response.headers["location"])
            if method == "POST":
                raise FetchRefused("the server redirected a POST; refusing to re-send it elsewhere")
            continue
        return response
    raise FetchRefused(f"more than {MAX_REDIRECTS} redirects")


def download(url: str, destination: Path, *, max_bytes: int | None = None) -> Path:
    """Fetch `url` into `destination`, refusing anything larger than max_bytes. Nothing is left on failure."""
    limit = max_bytes or settings.COMPOSER_FETCH_MAX_BYTES
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _client() as client:
            response = _follow(client, "GET", url)
            try:
                if response.status_code != 200:
                    raise FetchRefused(f"the server answered HTTP {response.status_code}")
                declared = int(response.headers.get("content-length") or 0)
                if declared > limit:
                    raise FetchRefused(f"the file is larger than {limit} bytes")
                received = 0
                with destination.open("wb") as out:
                    for chunk in response.iter_bytes(65536):
                        received += len(chunk)
                        if received > limit:
                            raise FetchRefused(f"the file is larger than {limit} bytes")
                        out.write(chunk)
            finally:
                response.close()
    except (FetchRefused, httpx.HTTPError) as exc:
        destination.unlink(missing_ok=True)
        if isinstance(exc, httpx.HTTPError):
            raise FetchRefused(f"download failed: {exc}") from exc
        raise
    return destination


def post_json(url: str, payload: dict, *, timeout: float = 10.0) -> httpx.Response:
    """POST a JSON body to a checked URL (callbacks); redirects are re-checked and never re-POSTed."""
    with httpx.Client(follow_redirects=False, timeout=timeout, headers={"User-Agent": "Composer/1.0"}) as client:
        response = _follow(client, "POST", url, json=payload)
        response.read()
        response.close()
        return response
