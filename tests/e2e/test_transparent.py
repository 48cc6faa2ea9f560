"""A transparent video made from the studio, in Chromium: the scene's background set to Transparent, the warning
and the offer to switch while MP4 is chosen, WebM picked in Settings with its explanation, the checkerboard on the
canvas and in the thumbnail, the render followed on the video page (a checkerboard behind the player), and the
downloaded WebM decoded with alpha by the libvpx decoder."""
from __future__ import annotations

import io
import os
from pathlib import Path

import av
import httpx
import pytest
from PIL import Image

from tests.support.browser import avatar_figure_box
from tests.support.editor_page import head, new_script, open_editor, saved, stage
from tests.support.render import is_checkerboard

pytestmark = pytest.mark.e2e


def background_panel(page):
    page.locator("[data-layer-row='bg'] .ed-layer-pick").click()
    props = page.locator("#layer-props")
    props.locator("[name=background_type]").wait_for()
    return props


def stage_background(page) -> str:
    return page.evaluate("document.querySelector('.ed-stage').dataset.background")


def codec(page) -> str:
    return page.evaluate("window.composerEditor.doc.video_config.codec")


def test_a_transparent_webm_made_in_the_studio_decodes_with_alpha(server, page, tmp_path):
    # Screenshots to look at: COMPOSER_SHOTS when set, else the test's temporary folder.
    shots = Path(os.environ.get("COMPOSER_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    script_id = new_script(server, "Transparent presenter")
    open_editor(server, page, script_id)

    # Transparent while MP4 is chosen: the canvas shows the white the MP4 will have, and the panel says so.
    props = background_panel(page)
    props.locator("[name=background_type]").select_option("NONE")
    warning = props.locator("[data-transparency=lost]")
    warning.wait_for()
    assert "white" in warning.inner_text() and "WebM (VP8)" in warning.inner_text()
    assert warning.locator("[data-switch-alpha]").is_visible()
    assert stage_background(page) == "fill"
    saved(page, 2)
    assert "background_config" not in head(server, script_id)["shoot_scripts"][0]["shoot_script"]
    page.screenshot(path=str(shots / "transparent-1-with-mp4.png"))

    # Settings: the codec field explains which formats keep transparency; picking WebM keeps it.
    page.click("[data-tab='settings']")
    field = page.locator("#setting-video_config-codec")
    hint = page.locator("#settings-panel .field", has=field).locator(".field-hint")
    assert "WebM (VP8) and MOV (QTRLE) keep" in hint.inner_text() and "MP4" in hint.inner_text()
    note = page.locator("[data-codec-transparency]")
    assert "Scene 1 has no background" in note.inner_text() and "white" in note.inner_text()
    field.select_option("VP8")
    page.wait_for_function("document.querySelector('[data-codec-transparency] [data-transparency=kept]')")
    assert "see-through" in note.inner_text()
    saved(page, 3)
    field.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "transparent-2-settings-codec.png"))

    # The canvas: a checkerboard behind the presenter; the scene thumbnail too.
    page.click("[data-tab='layers']")
    page.wait_for_function("document.querySelector('.ed-stage').dataset.background === 'transparent'")
    assert "checkerboard" in page.get_attribute(".ed-stage", "class")
    assert page.locator("#layer-props [data-transparency=kept]").is_visible()
    page.wait_for_function("(() => { const i = document.querySelector('[data-thumb=\"0\"]');"
                           " return i && i.complete && i.naturalWidth > 0 && i.src.includes('/revisions/3/'); })()",
                           timeout=30000)
    thumb = server.api("GET", f"/digital-human-video-scripts/{script_id}/revisions/3/preview",
                       params={"scene": 0, "time": 0, "width": 320})
    assert is_checkerboard(Image.open(io.BytesIO(thumb.content)), (0, 0, 120, 60))
    page.screenshot(path=str(shots / "transparent-3-checkerboard-canvas.png"))

    rig = next(a for a in page.evaluate("window.composerEditor.meta.presets.avatars")
               if a["asset_id"] == page.evaluate("window.composerEditor.doc.model_asset_id"))["rig"]
    x, y, w, h = avatar_figure_box(rig, (1920, 1080))

    # Render from the studio and follow it on the video page.
    page.locator("#review-bar [data-render]").click()
    dialog = page.locator("dialog.render-dialog")
    dialog.locator("[name=asset_name]").fill("Presenter cut-out")
    page.click("[data-confirm-render]")
    page.wait_for_url(f"{server.base}/p/{server.project_id}/videos/**")
    page.wait_for_function("document.querySelector('[data-state-badge]').textContent === 'Ready'", timeout=300000)
    assert "checkerboard" in page.get_attribute(".player", "class")
    page.wait_for_function("(() => { const v = document.querySelector('[data-player]');"
                           " return v.readyState >= 2 && v.duration > 0; })()", timeout=30000)
    page.screenshot(path=str(shots / "transparent-4-video-page.png"))

    video = next(a.get_attribute("href") for a in page.locator("[data-downloads] a").all()
                 if a.get_attribute("data-download").startswith("Video"))
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    with httpx.Client(base_url=server.base, cookies=cookies, timeout=60) as client:
        data = client.get(video).content
    with av.open(io.BytesIO(data)) as container:
        assert container.format.name.startswith("matroska") and container.streams.audio
        stream = container.streams.video[0]
        assert (stream.width, stream.height) == (1920, 1080)
        decoder = av.CodecContext.create("libvpx", "r")    # FFmpeg's own VP8 decoder drops the alpha
        frame = next(f for packet in container.demux(stream) if packet.size for f in decoder.decode(packet))
    rgba = frame.to_ndarray(format="rgba")
    # The empty left of the frame is see-through (VP8's lossy alpha may leave 1/255 here and there).
    empty = rgba[:, :600, 3]
    assert empty.max() <= 4 and (empty == 0).mean() > 0.9
    chest = rgba[round(y + h * 0.6), round(x + w / 2)]
    assert chest[3] == 255, chest


def test_the_offer_to_switch_to_webm_switches_in_one_step(server, page):
    script_id = new_script(server, "Transparent switch")
    open_editor(server, page, script_id)
    z = stage(page)["z"]
    # An empty area of the canvas selects the background.
    box = page.locator(".ed-sizer").bounding_box()
    page.mouse.click(box["x"] + 200 * z, box["y"] + 200 * z)
    props = page.locator("#layer-props")
    props.locator("[name=background_type]").select_option("NONE")
    props.locator("[data-switch-alpha]").click()
    page.wait_for_function("document.querySelector('.ed-stage').dataset.background === 'transparent'")
    assert codec(page) == "VP8"
    assert props.locator("[data-transparency=kept]").is_visible()
    saved(page, 2)
    stored = head(server, script_id)
    assert stored["video_config"]["codec"] == "VP8"
    assert "background_config" not in stored["shoot_scripts"][0]["shoot_script"]
    # Undo takes back the switch; the panel warns again. Clicking the empty canvas still selects the background.
    page.keyboard.press("Control+z")
    page.wait_for_function("window.composerEditor.doc.video_config.codec === 'H264'")
    page.mouse.click(box["x"] + 200 * z, box["y"] + 200 * z)
    props.locator("[data-transparency=lost]").wait_for()
