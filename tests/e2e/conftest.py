"""Browser tests: a real daphne server (embedded worker, in-memory channels) driven by Debian's Chromium."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, Server
from tests.support.editor_page import red_png


class Servers:
    """A server of its own for each browser module (its own data folder with fresh demo data), the next one started
    while the module before it runs: a start is some seconds of imports, and the tests mostly wait on Chromium
    and their pages, so a module seldom waits for its server. None is started ahead past the last module that
    takes one."""

    def __init__(self, tmp_path_factory, modules: int):
        self._tmp = tmp_path_factory
        self._left = modules        # modules of this run that will take a server from here
        self._next: Server | None = None

    def _launch(self) -> Server:
        server = Server(self._tmp.mktemp("e2e"))
        server.launch()
        return server

    def take(self) -> Server:
        server, self._next = self._next or self._launch(), None
        self._left -= 1
        try:
            server.wait()
        except BaseException:
            server.stop()
            raise
        if self._left > 0:
            self._next = self._launch()
        return server

    def close(self) -> None:
        if self._next is not None:
            self._next.stop()


@pytest.fixture(scope="session")
def servers(request, tmp_path_factory):
    # The browser modules of this run that take the `server` below (a module may define its own).
    here = Path(__file__).parent
    modules = {item.module for item in request.session.items
               if item.path.parent == here and "server" in getattr(item, "fixturenames", ())
               and "server" not in vars(item.module)}
    servers = Servers(tmp_path_factory, len(modules))
    yield servers
    servers.close()


@pytest.fixture(scope="module")
def server(servers):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required for the browser tests (make test installs it)")
    server = servers.take()
    yield server
    server.stop()


class TestBrowser:
    """Chromium whose contexts bypass the pages' Content-Security-Policy unless asked not to: Playwright evaluates
    string predicates (wait_for_function) with eval, which the policy rightly forbids. test_content_policy walks
    the studio with the policy in force."""

    def __init__(self, playwright):
        self._playwright = playwright
        self._browser = self._launch()

    def _launch(self):
        return self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    def new_context(self, **options):
        # A Chromium that crashed (it has, rarely, on a loaded machine) is started again for the next test rather
        # than failing every test left in the module.
        if not self._browser.is_connected():
            self._browser = self._launch()
        options.setdefault("bypass_csp", True)
        return self._browser.new_context(**options)

    def close(self):
        if self._browser.is_connected():
            self._browser.close()

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = TestBrowser(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    if browser.is_connected():
        context.close()
    else:
        pytest.fail("Chromium closed during the test (it crashed or was killed)")


@pytest.fixture(scope="module")
def red_asset(server) -> str:
    return server.upload("Red block", "IMAGE", "red.png", red_png(), "image/png")
