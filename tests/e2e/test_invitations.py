"""In Chromium, under the Content-Security-Policy: an owner invites bob on the members page, bob accepts on his
projects page and then has the project; an invitation to a name without an account reads the same and is revoked."""
from __future__ import annotations

import pytest

from tests.support.browser import sign_in

pytestmark = pytest.mark.e2e


def enforcing_page(browser, problems: list[str]):
    """A page whose context keeps the pages' policy, noting every violation Chromium reports."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=False)
    page = context.new_page()
    page.on("console", lambda message: problems.append(message.text)
            if "Content Security Policy" in message.text else None)
    return context, page


def test_an_owner_invites_bob_and_bob_accepts_on_his_projects_page(server, browser):
    assert server.api("DELETE", "/members/bob").status_code == 204
    problems: list[str] = []
    owner_context, owner = enforcing_page(browser, problems)
    sign_in(server, owner, "demo")
    owner.goto(f"{server.base}/p/{server.project_id}/members")
    owner.wait_for_selector("[data-invitations-card]")
    for username in ("bob", "nobody-here"):
        owner.click("[data-invite]")
        dialog = owner.locator("dialog[data-dialog=invite]")
        assert dialog.locator("[data-submit]").inner_text() == "Invite"
        dialog.locator("[name=username]").fill(username)
        dialog.locator("[name=role]").select_option("viewer")
        dialog.locator("[data-submit]").click()
        owner.wait_for_selector(f"tr[data-invitation='{username}']")
        dialog.wait_for(state="hidden")
    rows = {name: owner.locator(f"tr[data-invitation='{name}']").inner_text().split("\t")[:3]
            for name in ("bob", "nobody-here")}
    # The same row for an account and an unknown name, and nobody's e-mail.
    assert rows["bob"][1:] == rows["nobody-here"][1:] == ["Viewer", "demo"]
    assert "@example.com" not in owner.locator("[data-invitations-card]").inner_text()
    assert owner.locator("tr[data-member=bob]").count() == 0
    owner.click("tr[data-invitation='nobody-here'] [data-revoke-invitation]")
    owner.wait_for_selector("tr[data-invitation='nobody-here']", state="detached")
    assert [i["username"] for i in server.api("GET", "/invitations").json()["invitations"]] == ["bob"]

    bob_context, bob = enforcing_page(browser, problems)
    sign_in(server, bob, "bob")
    card = bob.locator("[data-invitations-card] [data-invitation]")
    assert card.count() == 1 and "demo" in card.inner_text() and "invited by demo" in card.inner_text()
    assert bob.locator(f"[data-project='{server.project_id}']").count() == 0
    card.locator("[data-accept]").click()
    bob.wait_for_selector(f"[data-project='{server.project_id}']")
    assert bob.locator("[data-invitations-card]").count() == 0
    bob.click(f"[data-project='{server.project_id}'] a.btn")
    bob.wait_for_url(f"{server.base}/p/{server.project_id}/")
    assert bob.locator(".role-badge").inner_text() == "Viewer"

    owner.reload()
    owner.wait_for_selector("tr[data-member=bob]")
    assert owner.locator("[data-role-select=bob]").input_value() == "viewer"
    owner.wait_for_selector("[data-no-invitations]:not([hidden])")
    owner.goto(f"{server.base}/p/{server.project_id}/audit")
    for action in ("invitation.create", "invitation.revoke", "invitation.accept"):
        assert owner.locator(f"tr[data-action='{action}']").count() >= 1, action
    assert problems == []
    owner_context.close()
    bob_context.close()
