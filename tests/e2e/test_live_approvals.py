"""Approval news travels live: the approver's inbox hears of a new request, the author's editor of the decision,
and an open decision page of a save that replaced its request, without anyone reloading."""
from __future__ import annotations

import pytest

from tests.support.browser import sign_in, wait_live
from tests.support.factories import create_composition

pytestmark = pytest.mark.e2e

SCRIPTS = "/digital-human-video-scripts"


def new_page(browser, user, server):
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(server, page, user)
    return page


def test_requests_and_decisions_reach_the_other_side_live(server, browser):
    created = server.api("POST", SCRIPTS, json={"script_name": "Live review", **create_composition("Hello, live review.")})
    assert created.status_code == 200, created.text
    script_id = created.json()["script_id"]
    project = f"{server.base}/p/{server.project_id}"

    alice = new_page(browser, "alice", server)
    alice.goto(f"{project}/scripts/{script_id}")
    bar = alice.locator("#review-bar")
    bar.locator("[data-review-state]").wait_for()
    wait_live(alice)
    bob = new_page(browser, "bob", server)
    bob.goto(f"{project}/approvals")
    wait_live(bob)
    assert bob.locator("[data-live-notice]").is_hidden()

    bar.locator("[data-request-approval]").click()
    notice = bob.locator("[data-live-notice]")
    notice.wait_for(state="visible", timeout=10000)
    assert "alice asked for approval of “Live review”" in notice.inner_text()
    bob.click("[data-refresh]")
    row = bob.locator("[data-pending] [data-request]", has_text="Live review")
    row.locator("a.btn").click()
    bob.wait_for_url("**/approvals/**")
    wait_live(bob)

    # Bob approves; alice's bar says so by itself, with a toast.
    bob.fill("#decision-comment", "Go ahead")
    bob.click("[data-approve]")
    alice.wait_for_function("document.querySelector('[data-review-state]').textContent.startsWith('Approved')",
                            timeout=10000)
    assert "bob approved revision 1" in alice.locator("[data-toasts]").inner_text()
    assert bar.locator("[data-render]").is_enabled()

    # A new request is open on demo's screen when alice saves again: the page says the request was replaced.
    server.api("POST", f"{SCRIPTS}/{script_id}/approval-requests", json={})
    pending = server.api("GET", "/approval-requests?state=PENDING").json()["approval_requests"]
    request_id = next(r["request_id"] for r in pending if r["script_id"] == script_id)
    demo = new_page(browser, "demo", server)
    demo.goto(f"{project}/approvals/{request_id}")
    demo.wait_for_selector("[data-decide-form]")
    wait_live(demo)
    head = server.api("GET", f"{SCRIPTS}/{script_id}").json()["revision"]
    saved = server.api("PUT", f"{SCRIPTS}/{script_id}", json={"base_revision": head, **create_composition("Changed again.")})
    assert saved.status_code == 200, saved.text
    demo.locator("[data-replaced]").wait_for(timeout=10000)
    assert demo.locator("[data-decide-form]").count() == 0
    assert demo.locator("[data-state]").inner_text() == "Replaced by a newer request"
