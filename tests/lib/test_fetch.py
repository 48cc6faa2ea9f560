"""The guarded fetcher refuses private targets, bad schemes, oversized files and re-checks redirects."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from composer.lib import fetch


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/big":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * 5000)
        elif self.path == "/redirect-private":
            self.send_response(302)
            self.send_header("Location", "http://10.0.0.1/secret")
            self.end_headers()
        else:
            body = b"hello"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.parametrize("url, reason", [
    ("file:///etc/passwd", "scheme"),
    ("ftp://example.com/a", "scheme"),
    ("http://127.0.0.1/x", "non-public"),
    ("http://10.1.2.3/x", "non-public"),
    ("http://169.254.169.254/latest/meta-data", "non-public"),
    ("http://[::1]/x", "non-public"),
    ("http://user:pw@example.com/", "credentials"),
])
def test_it_refuses_unsafe_urls(url, reason, settings):
    settings.COMPOSER_FETCH_ALLOW_PRIVATE = False
    with pytest.raises(fetch.FetchRefused, match=reason):
        fetch.check_url(url)


def test_it_refuses_loopback_unless_allowed(server, tmp_path, settings):
    settings.COMPOSER_FETCH_ALLOW_PRIVATE = False
    with pytest.raises(fetch.FetchRefused):
        fetch.download(server + "/ok", tmp_path / "a")
    assert not (tmp_path / "a").exists()
    settings.COMPOSER_FETCH_ALLOW_PRIVATE = True
    assert fetch.download(server + "/ok", tmp_path / "a").read_bytes() == b"hello"


def test_it_stops_at_the_size_limit_and_leaves_nothing(server, tmp_path, settings):
    settings.COMPOSER_FETCH_ALLOW_PRIVATE = True
    with pytest.raises(fetch.FetchRefused, match="larger than 1000"):
        fetch.download(server + "/big", tmp_path / "b", max_bytes=1000)
    assert not (tmp_path / "b").exists()


def test_it_rechecks_redirect_targets(server, tmp_path, settings, monkeypatch):
    settings.COMPOSER_FETCH_ALLOW_PRIVATE = False
    real_addresses = fetch._addresses
    # Treat the test server as public so that only the redirect target is judged.
    monkeypatch.setattr(fetch, "_addresses", lambda host, port: [] if host == "127.0.0.1"
                        else real_addresses(host, port))
    with pytest.raises(fetch.FetchRefused, match="non-public"):
        fetch.download(server + "/redirect-private", tmp_path / "c")
