"""The composing tools in Chromium: visible normalisation and hints from the spec, styled text layers (saved, drawn
on the canvas as the server draws them), uploaded fonts, images that keep their shape, the image picker, the
studio's own dialog for deleting a scene, thumbnails that never flash, and a calm view for read-only members."""
from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from composer.spec.schema import field_limits
from composer.spec.tables import LAYER_CONFIG
from tests.support.editor_page import (
    doc_layers,
    handle_point,
    head,
    layers,
    new_script,
    open_editor,
    press_and_move,
    saved,
    stage,
)

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ.get("COMPOSER_SCREENSHOTS", "/tmp/composer-screenshots")) / "composing"
FONT_FILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def text_layer(text="Spring sale", *, width=800, index=2, **style) -> dict:
    return {"layer_type": "TEXT", "position": {"dx": 200, "dy": 160, "layer_index": index}, "size": {"width": width},
            "text_config": {"text_context": b64(text), "font_size": 64, "font_color": "#FFFFFF", **style}}


def png(size, color=(220, 30, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def shoot(page, name: str, locator=None) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    (locator or page).screenshot(path=str(SHOTS / f"{name}.png"))


def select_layer(page, key: str = "L0") -> None:
    page.locator(f"[data-layer-row='{key}'] .ed-layer-pick").click()
    page.locator(f"[data-frame='{key}']").wait_for()


def test_a_turn_past_360_is_shown_normalised_with_a_note_and_hints_are_the_specs_ranges(server, page):
    script_id = new_script(server, "Rotation note test", layers=[text_layer()])
    open_editor(server, page, script_id)
    select_layer(page)
    props = page.locator("#layer-props")
    limits = field_limits(LAYER_CONFIG)
    size_limit, angle_limit = limits["text_config.font_size"], limits["rotation.angle"]
    size_hint = props.locator(".field:has([name='text_config.font_size']) .field-hint").inner_text()
    assert size_hint == f"{size_limit['min']}–{size_limit['max']}" == "4–120"
    assert props.locator(".field:has([name='rotation.angle']) .field-hint").inner_text() == \
        f"{angle_limit['min']}–{angle_limit['max']}"
    assert props.locator("[name='text_config.font_size']").get_attribute("max") == "120"

    angle = props.locator("[name='rotation.angle']")
    angle.fill("400")
    angle.press("Tab")
    page.wait_for_function("window.composerEditor.scene().layer_config[0].rotation?.angle === 40")
    assert props.locator("[name='rotation.angle']").input_value() == "40"
    note = props.locator("[data-note='rotation.angle']")
    assert note.inner_text() == "400° is the same turn as 40°."
    saved(page, 2)
    assert layers(head(server, script_id))[0]["rotation"] == {"angle": 40}
    assert note.is_visible()                                           # still said after the save

    angle = props.locator("[name='rotation.angle']")
    angle.fill("-15")
    angle.press("Tab")
    page.wait_for_function("window.composerEditor.scene().layer_config[0].rotation?.angle === 345")
    assert props.locator("[data-note='rotation.angle']").inner_text() == "-15° is the same turn as 345°."
    assert props.locator("[name='rotation.angle']").input_value() == "345"

    # Too big a size is refused with the same range the hint gives.
    size = props.locator("[name='text_config.font_size']")
    size.fill("130")
    size.press("Tab")
    page.wait_for_function("document.body.innerText.includes('between 4 and 120')")
    # Too small is raised visibly, not silently.
    size = props.locator("[name='text_config.font_size']")
    size.fill("2")
    size.press("Tab")
    page.wait_for_function("window.composerEditor.scene().layer_config[0].text_config.font_size === 4")
    assert props.locator("[name='text_config.font_size']").input_value() == "4"
    assert "set to 4 px" in props.locator("[data-note='text_config.font_size']").inner_text()


def test_a_text_layer_styled_in_its_properties_autosaves_and_the_canvas_shows_it(server, page):
    script_id = new_script(server, "Text style test", layers=[text_layer("Spring sale\nUp to 40% off")])
    open_editor(server, page, script_id)
    select_layer(page)
    props = page.locator("#layer-props")
    props.locator("[name='text_config.font_weight']").select_option("BOLD")
    props.locator("[name='text_config.text_align']").select_option("CENTER")
    props.locator("[name='text_config.line_height']").fill("1.2")
    props.locator("[name='text_config.line_height']").press("Tab")
    props.locator("[data-text-box]").check()
    props.locator("[name='text_config.box_color']").fill("#1e3a8a")
    props.locator("[name='text_config.box_padding']").fill("30")
    props.locator("[name='text_config.box_padding']").press("Tab")
    props.locator("[data-text-shadow]").check()
    props.locator("[name='text_config.shadow_blur']").fill("10")
    props.locator("[name='text_config.shadow_blur']").press("Tab")
    page.wait_for_function("window.composerEditor.scene().layer_config[0].text_config.shadow_blur === 10")
    saved(page, 2)
    stored = layers(head(server, script_id))[0]["text_config"]
    assert {k: stored[k] for k in ("font_weight", "text_align", "line_height", "box_color", "box_padding",
                                   "shadow_color", "shadow_blur")} == {
        "font_weight": "BOLD", "text_align": "CENTER", "line_height": 1.2, "box_color": "#1E3A8A", "box_padding": 30,
        "shadow_color": "#000000", "shadow_blur": 10}

    css = page.evaluate("""() => { const s = getComputedStyle(document.querySelector('[data-key=L0] .ed-text'));
        return {bg: s.backgroundColor, pad: s.paddingLeft, align: s.textAlign, weight: s.fontWeight,
                shadow: s.textShadow, line: s.lineHeight}; }""")
    assert css["bg"] == "rgba(30, 58, 138, 0.6)" and css["pad"] == "30px" and css["align"] == "center"
    assert css["weight"] == "700" and "10px" in css["shadow"] and css["line"] == f"{64 * 1.2:g}px"
    shoot(page, "styled-text-canvas", page.locator(".ed-sizer"))
    page.set_viewport_size({"width": 1280, "height": 1800})             # the whole properties panel in one shot
    shoot(page, "text-properties", page.locator("#layer-props"))


def ink_box(picture: Image.Image, test, within=None) -> tuple[int, int, int, int]:
    pixels = np.asarray(picture.convert("RGB")).astype(int)
    mask = test(pixels[..., 0], pixels[..., 1], pixels[..., 2])
    if within:
        left, top, right, bottom = within
        mask[:top], mask[bottom:], mask[:, :left], mask[:, right:] = False, False, False, False
    ys, xs = np.nonzero(mask)
    assert xs.size, "nothing of that colour"
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def test_the_canvas_draws_a_styled_text_layer_where_the_thumbnail_does(server, page):
    style = {"font_weight": "BOLD", "text_align": "CENTER", "box_color": "#1E3A8A", "box_padding": 24,
             "font_color": "#FFFF00", "line_height": 1.3}
    script_id = new_script(server, "Text agreement test", layers=[text_layer("Spring sale\nUp to 40% off", **style)],
                           background={"background_type": "COLOR", "background_color_config": "#DDE6F2"})
    open_editor(server, page, script_id)
    page.wait_for_function("document.fonts.check('700 64px \"Composer Text\"')")
    s = stage(page)
    shot = Image.open(io.BytesIO(page.locator(".ed-sizer").screenshot()))
    thumb = server.api("GET", f"/digital-human-video-scripts/{script_id}/revisions/1/preview",
                       params={"scene": 0, "time": 0, "width": 960})
    assert thumb.status_code == 200, thumb.text
    thumbnail = Image.open(io.BytesIO(thumb.content))
    scales = {"canvas": 1920 / shot.size[0], "thumbnail": 1920 / thumbnail.size[0]}
    tolerance = 2 * max(scales.values())

    def blue(r, g, b):
        return (r < 70) & (g < 90) & (b > 100) & (b < 170)

    def yellow(r, g, b):         # at least half covered: yellow (255, 255, 0) over the box's blue (30, 58, 138)
        return (r > 142) & (g > 156) & (b < 70)

    found = {}
    for name, picture in (("canvas", shot), ("thumbnail", thumbnail)):
        box = ink_box(picture, blue, within=(0, 0, round(1100 / scales[name]), picture.size[1]))   # not the avatar
        letters = ink_box(picture, yellow, within=box)
        found[name] = {"box": [v * scales[name] for v in box], "letters": [v * scales[name] for v in letters]}
    for part in ("box", "letters"):
        for got, want in zip(found["thumbnail"][part], found["canvas"][part], strict=True):
            assert abs(got - want) <= tolerance, (part, found)
    node = page.locator("[data-key=L0]").bounding_box()
    drawn = ((node["x"] - s["x"]) / s["z"], (node["y"] - s["y"]) / s["z"],
             (node["x"] + node["width"] - s["x"]) / s["z"], (node["y"] + node["height"] - s["y"]) / s["z"])
    for got, want in zip(found["thumbnail"]["box"], drawn, strict=True):
        assert abs(got - want) <= tolerance, (found, drawn)


def test_an_uploaded_font_is_in_the_font_list_and_draws_the_text(server, page):
    font_id = server.upload("Brand Sans", "FONT", "BrandSans.ttf", FONT_FILE.read_bytes(), "font/ttf")
    script_id = new_script(server, "Font test", layers=[text_layer()])
    open_editor(server, page, script_id)
    select_layer(page)
    font = page.locator("#layer-props [name='text_config.font_asset_id']")
    assert "Brand Sans" in font.locator(f"option[value='{font_id}']").inner_text()
    font.select_option(font_id)
    page.wait_for_function(f"window.composerEditor.scene().layer_config[0].text_config.font_asset_id === '{font_id}'")
    saved(page, 2)
    stored = layers(head(server, script_id))[0]["text_config"]
    assert stored["font_asset_id"] == font_id and stored["font_weight"] == "BOLD"   # it looked bold before
    page.wait_for_function(f"document.fonts.check('64px \"composer-font-{font_id}\"')")
    family = page.evaluate("getComputedStyle(document.querySelector('[data-key=L0] .ed-text')).fontFamily")
    assert f"composer-font-{font_id}" in family
    thumb = server.api("GET", f"/digital-human-video-scripts/{script_id}/revisions/2/preview",
                       params={"scene": 0, "time": 0, "width": 320})
    assert thumb.status_code == 200, thumb.text


def test_a_picked_image_keeps_its_shape_and_shift_frees_it(server, page):
    wide = server.upload("Wide banner", "IMAGE", "wide.png", png((400, 200)), "image/png")
    script_id = new_script(server, "Image shape test")
    open_editor(server, page, script_id)
    page.locator("[data-add-layer='IMAGE']").click()
    picker = page.locator("dialog[data-image-picker]")
    picker.wait_for()
    assert picker.evaluate("(d) => d.open")
    picker.locator(f"[data-pick-asset='{wide}'] img").evaluate(
        "(img) => img.complete || new Promise((done) => img.addEventListener('load', done))")
    shoot(page, "image-picker", picker)
    picker.locator(f"[data-pick-asset='{wide}']").click()
    page.wait_for_function("(window.composerEditor.scene().layer_config || []).length === 1")
    layer = doc_layers(page)[0]
    assert layer["asset_id"] == wide and layer["size"]["width"] == 2 * layer["size"]["height"]
    page.locator("[data-frame='L0']").wait_for()
    z = stage(page)["z"]
    start = layer["size"]
    press_and_move(page, handle_point(page, "L0", "se"), (200 * z, 20 * z))
    page.wait_for_function(f"window.composerEditor.scene().layer_config[0].size.width !== {start['width']}")
    size = doc_layers(page)[0]["size"]
    assert abs(size["width"] - 2 * size["height"]) <= 2 and size["width"] > start["width"]
    press_and_move(page, handle_point(page, "L0", "se"), (0, 150 * z), shift=True)
    page.wait_for_function(f"window.composerEditor.scene().layer_config[0].size.height !== {size['height']}")
    freed = doc_layers(page)[0]["size"]
    assert abs(freed["width"] - size["width"]) <= 2 and abs(freed["height"] - (size["height"] + 150)) <= 2

    # A new upload from the picker: a square picture gives a square box.
    page.locator("[data-add-layer='IMAGE']").click()
    picker.wait_for()
    picker.locator("[data-pick-upload]").set_input_files(files=[{"name": "square.png", "mimeType": "image/png",
                                                                 "buffer": png((300, 300), (20, 160, 60))}])
    page.wait_for_function("(window.composerEditor.scene().layer_config || []).length === 2")
    square = doc_layers(page)[1]
    assert square["size"]["width"] == square["size"]["height"]
    assert page.evaluate("document.querySelector('dialog[data-image-picker]').open") is False


def test_deleting_a_scene_asks_in_the_studios_dialog_and_thumbnails_never_flash(server, page):
    script_id = new_script(server, "Scene dialog test")
    open_editor(server, page, script_id)
    native = []
    page.on("dialog", lambda dialog: (native.append(dialog.type), dialog.dismiss()))
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/preview?" in request.url else None)
    page.wait_for_function("document.querySelector('[data-thumb=\"0\"]')?.src.includes('/revisions/1/preview')")
    # Watch scene 1's thumbnail: every picture it shows must have loaded before it is shown.
    page.evaluate("""() => { window.thumbLog = [];
        new MutationObserver((changes) => { for (const change of changes) {
            const nodes = change.type === 'attributes' ? [change.target] : [...change.addedNodes].flatMap((n) =>
                n.querySelectorAll ? [...n.querySelectorAll('img[data-thumb="0"]')] : []);
            for (const img of nodes) if (img.dataset?.thumb === '0')
                window.thumbLog.push({t: performance.now(), src: img.getAttribute('src'), hidden: img.hidden});
        } }).observe(document.querySelector('#scenes'), {subtree: true, childList: true, attributes: true,
                                                          attributeFilter: ['src', 'hidden']}); }""")
    page.locator("[data-scene-add]").click()
    assert page.locator("[data-scene]").count() == 2
    saved(page, 2)
    page.wait_for_function("document.querySelector('[data-thumb=\"1\"]')?.src.includes('/revisions/2/preview')")
    page.wait_for_function("document.querySelector('[data-thumb=\"0\"]')?.src.includes('/revisions/2/preview')")
    # Scene 2 was never asked of revision 1, which does not have it.
    assert not [url for url in asked if "/revisions/1/preview" in url and "scene=1" in url]
    log = page.evaluate("window.thumbLog")
    assert log and all(not entry["hidden"] and entry["src"] for entry in log), log
    for entry in log:
        if "/revisions/2/" in entry["src"]:
            loaded = page.evaluate("(src) => performance.getEntriesByName(new URL(src, location.href).href)"
                                   ".map((e) => e.responseEnd)", entry["src"])
            assert loaded and min(loaded) <= entry["t"], (entry, loaded)

    page.locator("[data-scene='1'] [data-scene-delete]").click()
    dialog = page.locator("dialog[data-dialog='delete-scene']")
    dialog.wait_for()
    assert "scene 2" in dialog.inner_text()
    shoot(page, "delete-scene-dialog", dialog)
    dialog.locator("[data-close]").click()
    assert page.locator("[data-scene]").count() == 2                  # kept
    page.locator("[data-scene='1'] [data-scene-delete]").click()
    dialog.locator("[data-confirm-scene-delete]").click()
    page.wait_for_function("document.querySelectorAll('[data-scene]').length === 1")
    saved(page, 3)
    assert len(head(server, script_id)["shoot_scripts"]) == 1
    assert native == []                                               # no window.confirm


@pytest.fixture(scope="module")
def viewer(server) -> str:
    response = server.api("POST", "/members", json={"username": "vera", "email": "vera@example.com",
                                                    "password": "vera-looks-only", "role": "viewer"})
    assert response.status_code == 200, response.text
    return "vera"


def test_a_viewer_sees_no_editing_hints(server, page, viewer):
    script_id = new_script(server, "Viewer test", layers=[text_layer(box_color="#1E3A8A", box_padding=20)])
    page.goto(f"{server.base}/login")
    page.fill("#id_username", viewer)
    page.fill("#id_password", "vera-looks-only")
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.base}/")
    page.goto(f"{server.base}/p/{server.project_id}/scripts/{script_id}")
    page.wait_for_function("window.composerEditor && document.querySelector('.ed-sizer')?.dataset.zoom")
    note = page.locator("[data-read-only]")
    assert note.is_visible() and "View only" in note.inner_text()
    assert "notice-warn" not in (note.get_attribute("class") or "")
    assert page.locator(".ed-hint").count() == 0
    assert not page.locator("[data-undo]").is_visible() and not page.locator("[data-redo]").is_visible()
    assert not page.locator("[data-add-layer]").first.is_visible() and not page.locator("[data-scene-add]").is_visible()
    assert page.locator("[data-scene-delete]").count() == 0
    props = page.locator("#layer-props")
    assert "edit it" not in props.inner_text() and "see its settings" in props.inner_text()
    select_layer(page)
    assert page.locator("[data-handle]").count() == 0
    assert props.locator("input, select, textarea, button").count() == 0
    assert "Spring sale" in props.inner_text() and "Yes" in props.inner_text()
    text = page.locator(".ed-center").inner_text() + props.inner_text()
    for hint in ("Drag to move", "click to add", "Click an empty area", "drag or resize"):
        assert hint.lower() not in text.lower(), hint
    shoot(page, "viewer", page)
    page.locator("[data-tab='script']").click()
    assert page.locator("#script-panel").is_visible() and not page.locator(".ssml-toolbar").is_visible()
    shoot(page, "viewer-script", page.locator(".ed-side"))
    page.locator("[data-tab='settings']").click()
    shoot(page, "viewer-settings", page.locator(".ed-side"))
