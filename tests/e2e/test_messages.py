"""Messages a marketer understands: refusals name the place in words, sit beside their field inside its panel,
go away when the field is fixed; the SSML check stays in the script panel; 403 and 404 are the studio's pages."""
from __future__ import annotations

import base64

import pytest

from tests.support.browser import sign_in
from tests.support.editor_page import new_script, open_editor

pytestmark = pytest.mark.e2e

SPEC_PATHS = ("shoot_scripts[", "layer_config[", "text_config.", "shoot_script.")


def text_layer() -> dict:
    return {"layer_type": "TEXT", "position": {"dx": 120, "dy": 90, "layer_index": 2}, "size": {"width": 640, "height": 120},
            "text_config": {"text_context": base64.b64encode(b"Spring sale").decode(), "font_size": 40}}


def visible_text(page) -> str:
    return page.evaluate("document.body.innerText")


def inside(inner: dict, outer: dict) -> bool:
    return (inner["x"] >= outer["x"] - 0.5 and inner["y"] >= outer["y"] - 0.5
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5)


def font_size_refused_beside_its_field(server, page) -> None:
    script_id = new_script(server, "Font size message", layers=[text_layer()])
    open_editor(server, page, script_id)
    page.locator("[data-layer-row='L0'] .ed-layer-pick").click()
    props = page.locator("#layer-props")
    size = props.locator("[name='text_config.font_size']")
    size.fill("500")     # out of the spec's range: too small is raised to the least size as typed, too large is refused
    size.press("Tab")
    error = props.locator(".field-error")
    error.wait_for(timeout=10000)
    # Beside its own field: the rule alone; the place is the field's label (and, in words, under the canvas).
    assert error.inner_text().startswith("Must be between") and "120" in error.inner_text()
    assert page.evaluate("(e) => e.closest('.field').querySelector('[name=\"text_config.font_size\"]') !== null",
                         error.element_handle())
    refusal = page.locator("[data-refusal]")
    assert "Scene 1 · layer 1 · font size: must be between" in refusal.inner_text()
    assert not any(path in visible_text(page) for path in SPEC_PATHS)
    # Inside its panel (scrolled to, as the panel scrolls), and inside the field's own column.
    error.scroll_into_view_if_needed()
    assert inside(error.bounding_box(), page.locator(".ed-side").bounding_box())
    assert inside(error.bounding_box(), props.bounding_box())
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # A valid value takes the message away.
    size = props.locator("[name='text_config.font_size']")
    size.fill("48")
    size.press("Tab")
    page.wait_for_function("window.composerEditor.scene().layer_config[0].text_config.font_size === 48")
    error.wait_for(state="detached", timeout=10000)
    assert page.locator("[data-refusal]").is_hidden()


def test_a_refused_font_size_is_said_in_words_beside_its_field_and_goes_away(server, page):
    font_size_refused_beside_its_field(server, page)
    page.screenshot(path=str(server.log.parent / "field-error-1280.png"))


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_the_field_message_stays_in_its_panel_at_desktop_and_phone_widths(server, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        font_size_refused_beside_its_field(server, page)
    finally:
        context.close()


def test_an_ssml_error_sits_beside_the_text_and_the_title_stays(server, page):
    script_id = new_script(server, "Product tour for the spring launch")
    open_editor(server, page, script_id)
    title = page.locator(".ed-title h1").inner_text()
    page.click("[data-tab=script]")
    page.fill("#script-text", "<speak>Hello <break time='3s'> there</speak>")
    errors = page.locator("#script-errors li")
    errors.wait_for(timeout=10000)
    assert errors.first.inner_text().startswith("Line 1, column")
    errors.first.scroll_into_view_if_needed()
    assert inside(errors.first.bounding_box(), page.locator("#script-panel").bounding_box())
    # The autosave refuses it: the top bar says so briefly, and the title is still there and readable.
    page.wait_for_function("window.composerEditor.saveState.error !== null", timeout=20000)
    status = page.locator("[data-save-status]")
    assert status.inner_text().startswith("Not saved: fix Scene 1 · script text")
    assert page.locator(".ed-title h1").inner_text() == title
    h1 = page.locator(".ed-title h1").bounding_box()
    assert h1["width"] >= 150
    tools = page.locator(".ed-tools").bounding_box()
    status_box = status.bounding_box()
    assert status_box["x"] + status_box["width"] <= tools["x"] or status_box["y"] + status_box["height"] <= tools["y"]
    assert not any(path in visible_text(page) for path in SPEC_PATHS)


@pytest.fixture(scope="module")
def viewer(server) -> str:
    response = server.api("POST", "/members", json={"username": "vera", "password": "Vera-viewer-2024", "role": "viewer"})
    assert response.status_code == 200, response.text
    return "vera"


def test_a_viewer_gets_the_studios_403_naming_the_role_and_a_way_back(server, page, viewer):
    sign_in(server, page, viewer, "Vera-viewer-2024")
    response = page.goto(f"{server.base}/p/{server.project_id}/presenters/new")
    assert response.status == 403
    reason = page.locator("[data-error-reason]").inner_text()
    assert reason.startswith("You are a viewer in ") and "creating presenters needs the editor, approver or owner role" in reason
    page.screenshot(path=str(server.log.parent / "403.png"))
    page.locator("[data-error-link]").first.click()
    page.wait_for_url(f"{server.base}/p/{server.project_id}/")


def test_an_unknown_script_gets_the_studios_404(server, page):
    sign_in(server, page)
    response = page.goto(f"{server.base}/p/{server.project_id}/scripts/no-such-script")
    assert response.status == 404
    assert page.locator("[data-error-page='404'] h1").inner_text() == "We could not find this page"
    assert page.locator("a[data-error-link]", has_text="All scripts").get_attribute("href") == \
        f"/p/{server.project_id}/scripts"
    assert "Traceback" not in visible_text(page) and "script_id" not in visible_text(page)
