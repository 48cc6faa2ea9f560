"""Property tests of the guarded fetcher (composer/lib/fetch.py): every spelling of a loopback, private,
link-local, shared or metadata address (dotted, one decimal or hex number, octal or hex parts, short forms,
IPv6 and IPv4-mapped IPv6) is refused, directly and as a redirect's target, and a listener on this machine proves
the fetcher never connected."""
from __future__ import annotations

import ipaddress
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from composer.lib import fetch

NON_PUBLIC_V4 = ["127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
                 "100.64.0.0/10", "0.0.0.0/8"]
NON_PUBLIC_V6 = ["::1/128", "fc00::/7", "fe80::/10"]
METADATA = ["169.254.169.254", "169.254.170.2", "100.100.100.200"]


def v4_in(network: str) -> st.SearchStrategy[ipaddress.IPv4Address]:
    net = ipaddress.ip_network(network)
    return st.integers(int(net.network_address), int(net.broadcast_address)).map(ipaddress.IPv4Address)


def v6_in(network: str) -> st.SearchStrategy[ipaddress.IPv6Address]:
    net = ipaddress.ip_network(network)
    return st.integers(int(net.network_address), int(net.broadcast_address)).map(ipaddress.IPv6Address)


V4 = st.one_of(*[v4_in(net) for net in NON_PUBLIC_V4], st.sampled_from(METADATA).map(ipaddress.IPv4Address))
V6 = st.one_of(*[v6_in(net) for net in NON_PUBLIC_V6])


def spellings(address: ipaddress.IPv4Address) -> list[str]:
    """Ways a URL's host may name one IPv4 address, as resolvers (inet_aton) read them."""
    a, b, c, d = address.packed
    number = int(address)
    return [str(address), str(number), hex(number), f"0{a:o}.0{b:o}.0{c:o}.0{d:o}",
            f"0x{a:x}.0x{b:x}.0x{c:x}.0x{d:x}", f"{a}.{(b << 16) | (c << 8) | d}", f"{a}.{b}.{(c << 8) | d}",
            f"[::ffff:{address}]", f"[::ffff:{(a << 8) | b:x}:{(c << 8) | d:x}]"]


HOSTS = st.one_of(V4.flatmap(lambda address: st.sampled_from(spellings(address))),
                  V6.map(lambda address: f"[{address}]"))


class Listener(BaseHTTPRequestHandler):
    """Counts every request; /hop?to=URL redirects there."""
    seen: list[str] = []

    def do_GET(self):
        Listener.seen.append(self.path)
        if self.path.startswith("/hop?to="):
            self.send_response(302)
            self.send_header("Location", self.path.removeprefix("/hop?to="))
        else:
            self.send_response(200)
            self.send_header("Content-Length", "2")
        self.end_headers()
        if not self.path.startswith("/hop"):
            self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def listener():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Listener)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()


@pytest.fixture(autouse=True)
def guarded(settings):
    settings.COMPOSER_FETCH_ALLOW_PRIVATE = False
    settings.COMPOSER_FETCH_TIMEOUT_SECONDS = 2


PROPERTY = hypothesis_settings(max_examples=150, deadline=None, derandomize=True,
                               suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPERTY
@given(host=HOSTS, scheme=st.sampled_from(["http", "https"]))
def test_every_spelling_of_a_non_public_address_is_refused_without_contact(listener, tmp_path, host, scheme):
    Listener.seen.clear()
    url = f"{scheme}://{host}:{listener}/secret"
    with pytest.raises(fetch.FetchRefused):
        fetch.download(url, tmp_path / "out")
    with pytest.raises(fetch.FetchRefused):
        fetch.check_url(url, unresolvable_ok=True)
    assert Listener.seen == [], f"{url} reached the listener"
    assert not (tmp_path / "out").exists()


@PROPERTY
@given(host=HOSTS)
def test_a_redirect_to_any_spelling_of_a_non_public_address_is_refused(listener, tmp_path, monkeypatch, host):
    """The first hop is treated as public (only the redirect's target is judged): the fetch stops at the
    redirect and the target is never asked."""
    Listener.seen.clear()
    first = f"http://127.0.0.1:{listener}/hop?to=" + quote(f"http://{host}:{listener}/secret", safe=":/[]")
    check = fetch.check_url
    monkeypatch.setattr(fetch, "check_url", lambda url, **kw: None if url == first else check(url, **kw))
    with pytest.raises(fetch.FetchRefused):
        fetch.download(first, tmp_path / "out")
    assert [path for path in Listener.seen if path == "/secret"] == []
    assert len(Listener.seen) == 1
