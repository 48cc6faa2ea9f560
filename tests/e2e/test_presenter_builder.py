"""The presenter builder in a real browser: from the asset library to a saved presenter the editor offers."""
from __future__ import annotations

from tests.support.browser import sign_in
from tests.support.factories import create_composition

SHOTS = "/tmp/presenter-builder"


def preview_settled(page, previous_src: str) -> None:
    """Wait until the preview shows a new picture and no update is pending."""
    page.wait_for_function(
        "(previous) => { const img = document.querySelector('img[data-preview]');"
        " return img.src && img.src !== previous && !img.hidden"
        " && document.querySelector('[data-stage]').getAttribute('aria-busy') === 'false'; }",
        arg=previous_src)


def test_alice_builds_a_presenter_and_uses_it_in_the_editor(server, page):
    response = server.api("POST", "/digital-human-video-scripts",
                          json={"script_name": "Builder check", **create_composition()})
    assert response.status_code == 200, response.text
    script_id = response.json()["script_id"]

    sign_in(server, page, "alice")
    page.goto(f"{server.base}/p/{server.project_id}/assets")
    page.click("[data-new-presenter]")
    page.wait_for_url(f"{server.base}/p/{server.project_id}/presenters/new")
    preview_settled(page, "")
    first = page.get_attribute("img[data-preview]", "src")
    assert page.get_attribute("[data-start='avatar-maya']", "aria-checked") == "true"

    page.click("[data-picker='hair_style'] button:has-text('Afro')")
    page.click("[data-picker='skin'] button[aria-label='Deep']")
    assert page.get_attribute("[data-picker='hair_style'] button:has-text('Afro')", "aria-pressed") == "true"
    assert page.inner_text("[data-current='skin']") == "Deep"
    preview_settled(page, first)
    revision = int(page.get_attribute("img[data-preview]", "data-revision"))
    assert revision >= 2
    page.screenshot(path=f"{SHOTS}-picked.png", full_page=True)

    # Saving without a name says so beside the name field, in words.
    page.click("[data-save]")
    error = page.locator("[name='name'] + .field-error")
    error.wait_for()
    assert error.inner_text() == "Must be text of 1-256 characters"

    page.fill("[name='name']", "Nora from the builder")
    page.click("[data-save]")
    saved = page.locator("[data-saved]")
    saved.wait_for()
    assert "Nora from the builder" in saved.inner_text()
    assert page.locator("[name='name'] + .field-error").count() == 0
    asset_id = saved.get_attribute("data-asset-id")
    page.screenshot(path=f"{SHOTS}-saved.png", full_page=True)

    page.click("[data-open-library]")
    page.wait_for_url(f"{server.base}/p/{server.project_id}/assets")
    page.click("[data-chips] [data-type='HUMAN_MODEL_2D']")
    card = page.locator(f".asset-card[data-asset='{asset_id}']")
    card.wait_for()
    assert "Nora from the builder" in card.inner_text()
    page.wait_for_function(f"document.querySelector(\".asset-card[data-asset='{asset_id}'] img\")?.complete")
    page.screenshot(path=f"{SHOTS}-library.png", full_page=True)

    page.goto(f"{server.base}/p/{server.project_id}/scripts/{script_id}")
    page.click("[data-tab='settings']")
    choice = page.locator(f".avatar-card[data-asset='{asset_id}']")
    choice.wait_for()
    assert "Nora from the builder" in choice.inner_text()
    choice.click()
    page.wait_for_function(f"window.composerEditor.doc.model_asset_id === '{asset_id}'")
    assert page.is_checked(f".avatar-card[data-asset='{asset_id}'] input")

