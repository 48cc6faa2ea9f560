"""In Chromium: a marketer sets the brand kit's palette and font, and a new script's title offers them first."""
from __future__ import annotations

import pytest

from tests.support.browser import sign_in
from tests.support.media import FONT

pytestmark = pytest.mark.e2e


def test_a_marketer_sets_a_palette_and_a_font_and_a_new_script_offers_them_first(server, page):
    font_id = server.upload("Brand Sans", "FONT", "brand.otf", FONT.read_bytes(), "font/otf")
    sign_in(server, page, "alice")
    page.goto(f"{server.base}/p/{server.project_id}/")
    page.click("nav >> text=Brand kit")
    page.wait_for_url(f"{server.base}/p/{server.project_id}/brand-kit")

    page.click("[data-add-colour]")
    page.fill("input[name='palette[0]']", "#ff6600")
    page.click("[data-add-colour]")
    page.fill("input[name='palette[1]']", "#ff6600")
    page.check(f"input[name=font_asset_ids][value='{font_id}']")
    page.click("[data-save]")
    # The same colour twice is refused, beside that colour.
    error = page.locator("[data-palette] .field-error")
    error.wait_for()
    assert "palette[1]: repeats #FF6600" in error.inner_text()
    page.click("[aria-label='Remove colour 2']")
    page.click("[data-save]")
    page.locator(".toast", has_text="Brand kit saved").wait_for()
    kit = server.api("GET", "/brand-kit").json()
    assert kit["palette"] == ["#FF6600"] and kit["font_asset_ids"] == [font_id]

    # A new script from the dialog: its title is in the kit's font and first colour.
    page.goto(f"{server.base}/p/{server.project_id}/scripts")
    page.click("[data-new-script]")
    page.fill("#new-name", "Brand launch")
    page.check("input[name=orientation][value=landscape]")
    page.click("[data-create]")
    page.wait_for_url(f"{server.base}/p/{server.project_id}/scripts/**")
    page.wait_for_function("window.composerEditor && document.querySelector('.ed-sizer')?.dataset.zoom")
    page.click(".ed-layer-row:has-text('Your title') .ed-layer-pick")

    fonts = page.locator("select[name='text_config.font_asset_id']")
    first_group = fonts.locator("optgroup").first
    assert first_group.get_attribute("label") == "Brand kit"
    assert first_group.locator("option").first.get_attribute("value") == font_id
    assert fonts.input_value() == font_id
    swatches = page.locator("[data-brand-colours=font_color] [data-brand-colour]")
    assert swatches.count() == 1 and swatches.first.get_attribute("data-brand-colour") == "#FF6600"
    assert swatches.first.get_attribute("aria-pressed") == "true"

    # A colour outside the kit gets a gentle note; the kit's swatch puts it back.
    page.fill("input[name='text_config.font_color']", "#00ff00")
    page.locator("[data-off-kit=font_color]").wait_for()
    page.click("[data-brand-colours=font_color] [data-brand-colour='#FF6600']")
    page.locator("[data-off-kit=font_color]").wait_for(state="detached")
    page.wait_for_function("""() => window.composerEditor.scene().layer_config
                                  .find((l) => l.layer_type === 'TEXT').text_config.font_color === '#FF6600'""")
