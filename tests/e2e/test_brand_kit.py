"""In Chromium: a marketer sets the brand kit's palette and font, and a new script's title offers them first; every
colour the editor picks offers the palette; deleting a kit's logo from the library takes it out of the kit."""
from __future__ import annotations

import pytest

from tests.support.browser import sign_in
from tests.support.editor_page import head, new_script, open_editor
from tests.support.media import FONT, png_bytes

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


def test_a_scene_background_and_the_subtitles_offer_the_palette_too(server, page):
    assert server.api("PUT", "/brand-kit", json={"palette": ["#FF6600", "#112233"]}).status_code == 200
    script_id = new_script(server, "Palette everywhere",
                           background={"background_type": "COLOR", "background_color_config": "#DDE6F2"})
    open_editor(server, page, script_id, "alice")
    page.locator("[data-layer-row='bg'] .ed-layer-pick").click()
    swatches = page.locator("#layer-props [data-brand-colours=background_color_config] [data-brand-colour]")
    assert [swatches.nth(i).get_attribute("data-brand-colour") for i in range(swatches.count())] == \
        ["#FF6600", "#112233"]
    page.locator("#layer-props [data-off-kit=background_color_config]").wait_for()
    swatches.nth(1).click()
    page.wait_for_function("window.composerEditor.scene().background_config[0].background_color_config === '#112233'")
    page.locator("#layer-props [data-off-kit=background_color_config]").wait_for(state="detached")
    assert page.locator("#layer-props [data-brand-colour='#112233']").get_attribute("aria-pressed") == "true"
    assert page.locator("#layer-props input[name=background_color_config]").input_value() == "#112233"

    # The subtitles' outline colour, in the settings: unset, then the kit's orange.
    page.click("[data-tab='settings']")
    page.check("[name='video_config.is_subtitle_enable']")
    outline = page.locator("[data-brand-colours='video_config.subtitle_config.stroke_color']")
    outline.locator("[data-brand-colour='#FF6600']").click()
    page.wait_for_function("window.composerEditor.doc.video_config.subtitle_config.stroke_color === '#FF6600'")
    assert outline.locator("[data-brand-colour='#FF6600']").get_attribute("aria-pressed") == "true"
    assert page.locator("[name='video_config.subtitle_config.stroke_color']").input_value() == "#ff6600"
    saved = head(server, script_id)
    for _ in range(60):
        if (saved["video_config"].get("subtitle_config") or {}).get("stroke_color") == "#FF6600":
            break
        page.wait_for_timeout(250)
        saved = head(server, script_id)
    assert saved["video_config"]["subtitle_config"]["stroke_color"] == "#FF6600"
    assert saved["shoot_scripts"][0]["shoot_script"]["background_config"][0]["background_color_config"] == "#112233"


def test_deleting_the_kits_logo_from_the_library_takes_it_out_of_the_kit(server, page):
    logo = server.upload("Brand mark", "IMAGE", "mark.png", png_bytes(), "image/png")
    assert server.api("PUT", "/brand-kit", json={"logo_asset_ids": [logo]}).status_code == 200
    sign_in(server, page, "alice")
    page.goto(f"{server.base}/p/{server.project_id}/assets")
    page.click("[data-chips] [data-type=IMAGE]")
    card = page.locator(f".asset-card[data-asset='{logo}']")
    card.click()
    page.click("dialog[data-dialog=asset] [data-delete-asset]")
    note = page.locator("dialog[data-dialog=delete] [data-delete-kit]")
    assert note.is_visible() and "It is a logo of the brand kit" in note.inner_text()
    page.click("dialog[data-dialog=delete] [data-confirm-delete]")
    page.locator(".toast", has_text="taken out of the brand kit (a logo)").wait_for()
    card.wait_for(state="detached")
    assert logo not in server.api("GET", "/brand-kit").json()["logo_asset_ids"]

    page.goto(f"{server.base}/p/{server.project_id}/brand-kit")
    assert page.locator(f"input[name=logo_asset_ids][value='{logo}']").count() == 0
    assert "Brand mark" not in page.locator("[data-field=logo_asset_ids]").inner_text()
