"""Browser tests: a real daphne server (embedded worker, in-memory channels) driven by Debian's Chromium."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, Server
from tests.support.editor_page import red_png


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required for the browser tests (make test installs it)")
    server = Server(tmp_path_factory.mktemp("e2e"))
    server.start()
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
