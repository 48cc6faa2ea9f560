"""The canvas editor in Chromium: drags autosave as revisions, the server refuses what the spec forbids, undo/redo,
two sessions in conflict, and the canvas agrees with the server's thumbnail."""
from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops

from tests.support.browser import avatar_figure_box
from tests.support.editor_page import (
    LAYER_BOX,
    doc_layers,
    drag,
    handle_point,
    head,
    image_layer,
    layers,
    new_script,
    open_editor,
    press_and_move,
    saved,
    stage,
)
from tests.support.factories import create_composition, preset_id

pytestmark = pytest.mark.e2e

def test_dragging_the_avatar_and_a_layer_autosaves_their_positions(server, page, red_asset):
    script_id = new_script(server, "Drag test", layers=[image_layer(red_asset)])
    open_editor(server, page, script_id)
    z = stage(page)["z"]
    rig = next(a for a in page.evaluate("window.composerEditor.meta.presets.avatars")
               if a["asset_id"] == preset_id("HUMAN_MODEL_2D", orientation="landscape"))["rig"]
    ax, ay, aw, ah = avatar_figure_box(rig, (1920, 1080))
    # Up and left: the figure box stands on the canvas's lower edge, and the editor keeps the box on the canvas.
    drag(page, (ax + aw / 2, ay + ah / 2), (-100 * z, -40 * z))
    drag(page, (LAYER_BOX[0] + 20, LAYER_BOX[1] + 20), (60 * z, 120 * z))
    saved(page, 2)

    stored = layers(head(server, script_id))
    human = next(layer for layer in stored if layer["layer_type"] == "HUMAN")
    image = next(layer for layer in stored if layer["layer_type"] == "IMAGE")
    assert abs(human["position"]["dx"] - (ax - 100)) <= 1 and abs(human["position"]["dy"] - (ay - 40)) <= 1
    assert abs(human["size"]["width"] - aw) <= 1 and abs(human["size"]["height"] - ah) <= 1
    assert abs(image["position"]["dx"] - (LAYER_BOX[0] + 60)) <= 1
    assert abs(image["position"]["dy"] - (LAYER_BOX[1] + 120)) <= 1
    assert image["size"] == {"width": LAYER_BOX[2], "height": LAYER_BOX[3]}
    # The avatar joined the layers behind the image; layer_index stays 1..n without duplicates.
    assert sorted(layer["position"]["layer_index"] for layer in stored) == [1, 2]
    assert human["position"]["layer_index"] < image["position"]["layer_index"]
    assert page.locator("[data-save-status]").inner_text().startswith("Saved · revision")


def test_dragging_near_the_centre_snaps_to_it_with_a_guide(server, page, red_asset):
    script_id = new_script(server, "Snap test", layers=[image_layer(red_asset)])
    open_editor(server, page, script_id)
    z = stage(page)["z"]
    # The layer's centre ends 4 layout pixels left of the canvas centre line: it snaps onto it.
    target = 960 - 4 - (LAYER_BOX[0] + LAYER_BOX[2] / 2)
    s = stage(page)
    x, y = s["x"] + (LAYER_BOX[0] + 20) * z, s["y"] + (LAYER_BOX[1] + 20) * z
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + target * z / 2, y)
    page.mouse.move(x + target * z, y)
    assert page.locator(".ed-guide-x").count() >= 1
    page.mouse.up()
    page.wait_for_function("(window.composerEditor.scene().layer_config[0].position.dx) !== 240")
    assert doc_layers(page)[0]["position"]["dx"] == 960 - LAYER_BOX[2] // 2
    assert page.locator(".ed-guide-x").count() == 0


def test_an_uncovering_background_move_is_refused_with_the_reason(server, page):
    background = {"background_type": "IMAGE", "background_asset_id": preset_id("IMAGE", orientation="landscape")}
    script_id = new_script(server, "Refusal test", background=background)
    open_editor(server, page, script_id)
    s = stage(page)
    page.mouse.click(s["x"] + 200 * s["z"], s["y"] + 900 * s["z"])     # an empty area selects the background
    assert page.evaluate("window.composerEditor.selection") == "bg"
    before = page.evaluate("window.composerEditor.doc")
    drag(page, (200, 900), (150 * s["z"], 0))
    refusal = page.locator("[data-refusal]")
    refusal.wait_for(state="visible", timeout=10000)
    assert "Scene 1 · background image x (dx):" in refusal.inner_text() and "0" in refusal.inner_text()
    page.wait_for_function("window.composerEditor.refusal !== null")
    assert page.evaluate("window.composerEditor.doc") == before
    assert page.evaluate("window.composerEditor.canRedo") is False      # undone without a redo entry
    # Nothing is left to save: flushing settles at once on the revision the page opened.
    assert page.evaluate("window.composerEditor.flush()") == 1
    assert head(server, script_id)["revision"] == 1


def test_undo_and_redo_restore_positions(server, page, red_asset):
    script_id = new_script(server, "Undo test", layers=[image_layer(red_asset)])
    open_editor(server, page, script_id)
    z = stage(page)["z"]
    drag(page, (LAYER_BOX[0] + 20, LAYER_BOX[1] + 20), (300 * z, 0))
    page.wait_for_function("window.composerEditor.scene().layer_config[0].position.dx !== 240")
    moved = doc_layers(page)[0]["position"]["dx"]
    assert abs(moved - (LAYER_BOX[0] + 300)) <= 1
    assert page.evaluate("document.activeElement === document.body")      # keys go to the page, not an input
    page.keyboard.press("Control+z")
    assert doc_layers(page)[0]["position"]["dx"] == LAYER_BOX[0]
    left = page.evaluate("document.querySelector('[data-key=L0]').style.left")
    assert left == f"{LAYER_BOX[0]}px"
    page.keyboard.press("Control+Shift+z")
    assert doc_layers(page)[0]["position"]["dx"] == moved
    page.locator("[data-undo]").click()
    assert doc_layers(page)[0]["position"]["dx"] == LAYER_BOX[0]
    page.locator("[data-redo]").click()
    assert doc_layers(page)[0]["position"]["dx"] == moved
    saved(page, 2)
    assert layers(head(server, script_id))[0]["position"]["dx"] == moved


def test_two_sessions_get_a_conflict_choice(server, browser, red_asset):
    script_id = new_script(server, "Conflict test", layers=[image_layer(red_asset)])
    pages = []
    for user in ("demo", "alice"):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        open_editor(server, page, script_id, user)
        pages.append(page)
    first, second = pages
    z = stage(first)["z"]
    try:
        drag(first, (LAYER_BOX[0] + 20, LAYER_BOX[1] + 20), (100 * z, 0))
        saved(first, 2)

        # The second session edited revision 1: its save is refused and it must choose.
        drag(second, (LAYER_BOX[0] + 20, LAYER_BOX[1] + 20), (0, 200 * z))
        dialog = second.locator("[data-conflict]")
        dialog.wait_for(state="visible", timeout=10000)
        assert "revision 2" in dialog.inner_text()
        assert head(server, script_id)["revision"] == 2                 # nothing overwritten meanwhile
        second.locator("[data-conflict-mine]").click()
        saved(second, 3)
        mine = layers(head(server, script_id))[0]["position"]
        assert (mine["dx"], abs(mine["dy"] - (LAYER_BOX[1] + 200)) <= 1) == (LAYER_BOX[0], True)

        # Now the first session is behind: it loads their version instead, and can undo back to its own.
        drag(first, (LAYER_BOX[0] + 120, LAYER_BOX[1] + 20), (0, -100 * z))
        first.locator("[data-conflict]").wait_for(state="visible", timeout=10000)
        first.locator("[data-conflict-theirs]").click()
        first.wait_for_function("window.composerEditor.saveState.revision === 3 && !window.composerEditor.saveState.conflict")
        assert doc_layers(first)[0]["position"] == mine
        assert head(server, script_id)["revision"] == 3
        assert "revision 3" in first.locator("[data-save-status]").inner_text()
        assert first.evaluate("window.composerEditor.canUndo") is True
    finally:
        for page in pages:
            page.context.close()


def changed_box(with_layer: Image.Image, without: Image.Image) -> tuple[int, int, int, int]:
    diff = ImageChops.difference(with_layer.convert("RGB"), without.convert("RGB")).convert("L")
    box = diff.point(lambda v: 255 if v > 40 else 0).getbbox()
    assert box, "the layer changed nothing in the thumbnail"
    return box


def test_the_canvas_and_the_server_thumbnail_agree(server, page, red_asset):
    box = (1180, 140, 400, 200)
    script_id = new_script(server, "Agreement test", layers=[image_layer(red_asset, box, 1)])
    open_editor(server, page, script_id)
    s = stage(page)
    rect = page.locator("[data-key=L0]").bounding_box()
    drawn = ((rect["x"] - s["x"]) / s["z"], (rect["y"] - s["y"]) / s["z"], rect["width"] / s["z"],
             rect["height"] / s["z"])

    width = 480
    scale = 1920 / width
    shot = server.api("GET", f"/digital-human-video-scripts/{script_id}/revisions/1/preview",
                      params={"scene": 0, "time": 0, "width": width})
    assert shot.status_code == 200, shot.text
    composition = {k: v for k, v in head(server, script_id).items() if k in
                   ("model_asset_id", "voice_config", "video_config", "shoot_scripts")}
    composition["shoot_scripts"][0]["shoot_script"]["layer_config"] = []
    bare = server.api("POST", "/previews", json={"composition": composition, "scene": 0, "time": 0, "width": width})
    assert bare.status_code == 200, bare.text
    left, top, right, bottom = changed_box(Image.open(io.BytesIO(shot.content)), Image.open(io.BytesIO(bare.content)))
    rendered = (left * scale, top * scale, (right - left) * scale, (bottom - top) * scale)
    for got, want in zip(rendered, drawn, strict=True):
        assert abs(got - want) <= 2 * scale, (rendered, drawn)


def test_corner_handles_resize_and_the_rotate_handle_turns(server, page, red_asset):
    script_id = new_script(server, "Handles test", layers=[image_layer(red_asset)])
    open_editor(server, page, script_id)
    z = stage(page)["z"]
    page.locator("[data-layer-row='L0'] .ed-layer-pick").click()           # select from the list
    assert page.locator("[data-frame='L0']").count() == 1
    # The bottom-right corner out by 240 layout px: the image keeps its 2:1 aspect, the top-left stays put.
    press_and_move(page, handle_point(page, "L0", "se"), (240 * z, 0))
    page.wait_for_function("window.composerEditor.scene().layer_config[0].size.width !== 480")
    layer = doc_layers(page)[0]
    assert abs(layer["size"]["width"] - 720) <= 2 and abs(layer["size"]["height"] - 360) <= 2
    assert (layer["position"]["dx"], layer["position"]["dy"]) == (LAYER_BOX[0], LAYER_BOX[1])
    saved(page, 2)                                                        # the frame is redrawn after the save
    # Drag the rotate handle a quarter turn round the centre, in 15-degree steps (Shift).
    s = stage(page)
    centre = (s["x"] + (LAYER_BOX[0] + 360) * z, s["y"] + (LAYER_BOX[1] + 180) * z)
    knob = handle_point(page, "L0", "rotate")
    press_and_move(page, knob, (centre[0] + 300 * z - knob[0], centre[1] - knob[1]), shift=True)
    page.wait_for_function("window.composerEditor.scene().layer_config[0].rotation?.angle === 90")
    assert "rotate(90deg)" in page.evaluate("document.querySelector('[data-key=L0]').style.transform")
    page.keyboard.press("Shift+ArrowLeft")
    assert doc_layers(page)[0]["position"]["dx"] == LAYER_BOX[0] - 10
    saved(page, 3)
    stored = layers(head(server, script_id))[0]
    assert stored["rotation"] == {"angle": 90} and stored["position"]["dx"] == LAYER_BOX[0] - 10


def test_layers_and_scenes_are_added_reordered_and_removed(server, page, red_asset):
    script_id = new_script(server, "Palette test", layers=[image_layer(red_asset)])
    open_editor(server, page, script_id)
    page.locator("[data-add-layer='TEXT']").click()
    rows = page.locator("[data-layer-row]")
    assert rows.first.get_attribute("data-layer-row") == "L1"             # the new text is in front
    assert [layer["position"]["layer_index"] for layer in doc_layers(page)] == [2, 3]
    page.locator("[data-layer-row='L1'] [aria-label='Send backward']").click()
    assert [layer["position"]["layer_index"] for layer in doc_layers(page)] == [2, 1]
    # A scene has one avatar: "+ Avatar" is refused while the model is on the canvas as a HUMAN layer.
    page.locator("[data-add-layer='HUMAN']").click()
    assert page.locator("[data-add-layer='HUMAN']").is_disabled()
    page.locator("[data-layer-row='L0'] [aria-label='Delete layer']").click()
    assert [layer["layer_type"] for layer in doc_layers(page)] == ["TEXT", "HUMAN"]

    page.locator("[data-scene-add]").click()
    page.locator("[data-scene='0'] [data-scene-duplicate]").click()
    assert page.evaluate("window.composerEditor.doc.shoot_scripts.map((s) => s.sequence_no)") == [0, 1, 2]
    page.locator("[data-scene='2'] [data-scene-delete]").click()
    page.locator("dialog[data-dialog='delete-scene'] [data-confirm-scene-delete]").click()
    page.wait_for_function("document.querySelectorAll('[data-scene]').length === 2")
    saved(page, 2)
    stored = head(server, script_id)
    assert len(stored["shoot_scripts"]) == 2
    assert [layer["layer_type"] for layer in layers(stored)] == ["TEXT", "HUMAN"]
    # The strip's thumbnails follow the saved revision.
    page.wait_for_function(f"document.querySelector('[data-thumb=\"1\"]').src.includes('/revisions/{stored['revision']}/preview')")
    page.wait_for_function("document.querySelector('[data-thumb=\"1\"]').naturalWidth === 320")


def test_viewers_get_no_handles_and_cannot_change_anything(server, page, red_asset):
    script_id = new_script(server, "Read-only test", layers=[image_layer(red_asset)])
    open_editor(server, page, script_id, "bob")                          # an approver
    assert page.locator("[data-read-only]").is_visible()
    page.locator("[data-layer-row='L0'] .ed-layer-pick").click()
    assert page.locator("[data-frame='L0']").count() == 1 and page.locator("[data-handle]").count() == 0
    drag(page, (LAYER_BOX[0] + 20, LAYER_BOX[1] + 20), (200, 100))
    page.keyboard.press("Delete")
    assert doc_layers(page)[0]["position"]["dx"] == LAYER_BOX[0] and len(doc_layers(page)) == 1
    assert page.locator("#layer-props input, #layer-props select, #layer-props button").count() == 0
    assert not page.locator("[data-add-layer='TEXT']").is_visible() and not page.locator("[data-scene-add]").is_visible()


def test_background_fields_name_the_rule_beside_the_field(server, page):
    background = {"background_type": "IMAGE", "background_asset_id": preset_id("IMAGE", orientation="landscape")}
    script_id = new_script(server, "Background fields test", background=background)
    open_editor(server, page, script_id)
    page.locator("[data-layer-row='bg'] .ed-layer-pick").click()
    fields = page.locator("#layer-props")
    # Cover-fitted until edited: the fields show the drawn box.
    assert fields.locator("[name='background_image_config.width']").input_value() == "1920"
    fields.locator("[name='background_image_config.dx']").fill("50")
    fields.locator("[name='background_image_config.dx']").press("Tab")
    error = fields.locator(".field-error")
    error.wait_for(timeout=10000)
    assert error.inner_text() and not any(path in error.inner_text() for path in ("background_image_config", "shoot_scripts["))
    assert page.locator("[data-refusal]").is_visible()
    assert "background_image_config" not in page.evaluate("window.composerEditor.scene().background_config[0]")
    fields.locator("[name='background_image_config.width']").fill("2400")
    fields.locator("[name='background_image_config.width']").press("Tab")
    saved(page, 2)
    stored = head(server, script_id)["shoot_scripts"][0]["shoot_script"]["background_config"][0]
    assert stored["background_image_config"] == {"dx": 0, "dy": 0, "width": 2400, "height": 1080}


def test_the_layer_list_reorders_by_dragging(server, page, red_asset):
    text = {"layer_type": "TEXT", "position": {"dx": 100, "dy": 100, "layer_index": 1},
            "text_config": {"text_context": "SGVsbG8=", "font_size": 48}}
    script_id = new_script(server, "List drag test", layers=[image_layer(red_asset), text])
    open_editor(server, page, script_id)
    assert page.locator("[data-layer-row]").first.get_attribute("data-layer-row") == "L0"    # index 2: in front
    page.drag_and_drop("[data-layer-row='L1']", "[data-layer-row='L0']")
    assert [layer["position"]["layer_index"] for layer in doc_layers(page)] == [1, 2]
    assert page.locator("[data-layer-row]").first.get_attribute("data-layer-row") == "L1"


def test_leaving_with_unsaved_changes_asks_first(server, page, red_asset):
    script_id = new_script(server, "Unload test", layers=[image_layer(red_asset)])
    open_editor(server, page, script_id)
    page.evaluate("window.composerEditor.apply('Nudge', (d) => { d.shoot_scripts[0].shoot_script.layer_config[0].position.dx += 5; })")
    with page.expect_event("dialog") as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()


def test_a_corner_resize_snaps_the_moving_edge_to_the_canvas_edge(server, page, red_asset):
    script_id = new_script(server, "Resize snap test", layers=[image_layer(red_asset)])
    open_editor(server, page, script_id)
    z = stage(page)["z"]
    page.locator("[data-layer-row='L0'] .ed-layer-pick").click()
    # The right edge is let go 8 layout px short of the canvas edge: it lands on it, the aspect kept.
    right = LAYER_BOX[0] + LAYER_BOX[2]
    press_and_move(page, handle_point(page, "L0", "se"), ((1912 - right) * z, 0))
    page.wait_for_function("window.composerEditor.scene().layer_config[0].size.width !== 480")
    layer = doc_layers(page)[0]
    assert layer["size"] == {"width": 1680, "height": 840}, layer["size"]
    assert (layer["position"]["dx"], layer["position"]["dy"]) == (LAYER_BOX[0], LAYER_BOX[1])
    saved(page, 2)
    assert layers(head(server, script_id))[0]["size"] == {"width": 1680, "height": 840}


def test_the_history_tab_compares_and_restores_revisions(server, page):
    script_id = new_script(server, "History test")
    body = create_composition()
    for base, text in ((1, "First words."), (2, "Second words.")):
        body["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] = text
        saved_now = server.api("PUT", f"/digital-human-video-scripts/{script_id}", json={"base_revision": base, **body})
        assert saved_now.status_code == 200, saved_now.text
    open_editor(server, page, script_id)
    page.click("[data-tab='history']")
    page.wait_for_selector("[data-history] [data-revision='3'].is-current")
    assert page.locator("[data-history] [data-revision]").count() == 3

    page.click("[data-compare='2']")
    diff = page.locator("[data-history-diff]")
    diff.locator(".change-group").first.wait_for()
    assert "Script text" in diff.locator("[data-group='Scene 1']").inner_text()
    assert "First words." in diff.inner_text() and "Second words." in diff.inner_text()
    page.keyboard.press("Escape")

    page.click("[data-restore='2']")
    page.click("[data-confirm-restore]")
    page.wait_for_selector("[data-history] [data-revision='4'].is-current")
    assert "Restored from revision 2" in page.locator("[data-revision='4']").inner_text()
    assert page.evaluate("window.composerEditor.scene().text_config.text") == "First words."
    restored = head(server, script_id)
    assert restored["revision"] == 4 and restored["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] == "First words."

    # Undo brings back what was there, and it is saved as the next revision.
    page.click("[data-undo]")
    assert page.evaluate("window.composerEditor.scene().text_config.text") == "Second words."
    saved(page, 5)
    assert head(server, script_id)["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] == "Second words."


def test_the_avatar_selection_is_the_rendered_figure_box_and_stays_on_the_canvas(server, page):
    """A HUMAN box from the reference (656/0/607x1080): the editor selects the figure box of the one framing rule
    (composer.spec.framing), the server's thumbnail draws the figure inside it, standing on its lower edge, and
    a drag far past the corner keeps the whole box and its four handles on the canvas."""
    from composer.render.avatar import open_rig
    from composer.render.compositor import figure_metrics
    from composer.render.presets import resolve_builtin
    from composer.spec.framing import frame_figure, human_box

    box = (656, 0, 607, 1080)
    layer = {"layer_type": "HUMAN", "position": {"dx": box[0], "dy": box[1], "layer_index": 1},
             "size": {"width": box[2], "height": box[3]}}
    script_id = new_script(server, "Figure box test", layers=[layer],
                           background={"background_type": "COLOR", "background_color_config": "#DDE6F2"})
    open_editor(server, page, script_id)
    model = head(server, script_id)["model_asset_id"]
    figure = figure_metrics(open_rig(resolve_builtin(model)["path"]))
    want = frame_figure(human_box(layer, figure, (1920, 1080)), figure).figure
    page.locator("[data-layer-row='L0'] .ed-layer-pick").click()

    def frame_in_layout() -> tuple[float, ...]:
        s = stage(page)
        rect = page.locator("[data-frame='L0']").bounding_box()
        return ((rect["x"] - s["x"]) / s["z"], (rect["y"] - s["y"]) / s["z"], rect["width"] / s["z"],
                rect["height"] / s["z"])

    drawn = frame_in_layout()
    for got, expected in zip(drawn, want, strict=True):
        assert abs(got - expected) <= 1.5, (drawn, want)

    width = 480
    scale = 1920 / width
    shot = server.api("GET", f"/digital-human-video-scripts/{script_id}/revisions/1/preview",
                      params={"scene": 0, "time": 0, "width": width})
    assert shot.status_code == 200, shot.text
    picture = Image.open(io.BytesIO(shot.content)).convert("RGB")
    left, top, right, bottom = changed_box(picture, Image.new("RGB", picture.size, "#DDE6F2"))
    x, y, w, h = drawn
    assert x - 2 * scale <= left * scale and right * scale <= x + w + 2 * scale
    assert y - 2 * scale <= top * scale and abs(bottom * scale - (y + h)) <= 2 * scale

    s = stage(page)
    drag(page, (x + w / 2, y + h / 2), (1500 * s["z"], 900 * s["z"]))
    page.wait_for_function("window.composerEditor.scene().layer_config[0].position.dx !== 656")
    fx, fy, fw, fh = frame_in_layout()
    assert fx >= -1 and fy >= -1 and fx + fw <= 1921 and fy + fh <= 1081
    sizer = page.locator(".ed-sizer").bounding_box()
    for handle in ("nw", "ne", "sw", "se"):
        hx, hy = handle_point(page, "L0", handle)
        assert sizer["x"] - 1 <= hx <= sizer["x"] + sizer["width"] + 1
        assert sizer["y"] - 1 <= hy <= sizer["y"] + sizer["height"] + 1


def test_the_editor_loads_the_renderers_fonts(server, page):
    """The editor's text is drawn in the fonts the renderer uses, served from composer/render/fonts."""
    open_editor(server, page, new_script(server, "Fonts test"))
    for weight in (400, 700):
        faces = page.evaluate(f"""async () => (await document.fonts.load("{weight} 32px 'Composer Text'", "春"))
                                  .map((face) => [face.weight, face.status])""")
        assert faces == [[str(weight), "loaded"]]


@pytest.mark.parametrize("width", [1400, 1180, 960])
def test_the_save_state_is_read_whole_beside_a_long_script_name(server, browser, width):
    """The script's name gives way (an ellipsis) and the bar wraps its buttons; the save state is never cut off
    or covered by a button."""
    script_id = new_script(server, "Spring launch: a customer welcome for the northern region, final cut")
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        open_editor(server, page, script_id)
        status = page.locator("[data-save-status]")
        assert status.inner_text().startswith("Saved · revision")
        # One snapshot of the laid-out bar once its fonts are in (a font arriving between two measurements moves
        # everything after the first).
        layout = page.evaluate("""async () => {
            await document.fonts.ready;
            const box = (e) => { const r = e.getBoundingClientRect();
                                 return {x: r.left, y: r.top, width: r.width, height: r.height}; };
            const status = document.querySelector('[data-save-status]');
            const title = document.querySelector('.ed-title h1');
            return {widths: [status.scrollWidth, status.clientWidth], box: box(status),
                    bar: box(document.querySelector('.ed-top')), titleCut: title.scrollWidth > title.clientWidth,
                    buttons: [...document.querySelectorAll('.ed-top button, .ed-top a')]
                        .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
                        .map((e) => ({text: e.innerText, ...box(e)}))};
        }""")
        widths, box, bar = layout["widths"], layout["box"], layout["bar"]
        assert widths[0] <= widths[1], widths
        assert bar["x"] <= box["x"] and box["x"] + box["width"] <= bar["x"] + bar["width"]
        for other in layout["buttons"]:
            apart = (other["x"] >= box["x"] + box["width"] or other["x"] + other["width"] <= box["x"]
                     or other["y"] >= box["y"] + box["height"] or other["y"] + other["height"] <= box["y"])
            assert apart, (other["text"], other, box)
        assert layout["titleCut"]     # the name is the one cut short
    finally:
        context.close()
