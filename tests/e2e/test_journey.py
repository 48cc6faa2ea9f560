"""The whole journey in Chromium, as the product is meant to be used: Alice uploads a picture, composes a
two-scene portrait video (drags the avatar, places her picture, rotates a caption), writes SSML with a pause and a
gesture, fixes the error the check points at, asks for approval; Bob approves in his inbox; the render is followed
live to 100% and the downloaded MP4 is a 1080x1920 video with sound, with her picture where she put it."""
from __future__ import annotations

import hashlib
import hmac
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import av
import httpx
import numpy as np
import pytest
from PIL import Image

from tests.support.browser import avatar_figure_box, sign_in
from tests.support.editor_page import drag, saved, stage
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

ORANGE = (245, 130, 20)
PICTURE = (300, 200)          # the uploaded picture's size, also its size on the canvas (layout pixels)
PLACED = (80, 240)            # where Alice drops its top-left corner


# Counts the distinct live preview frames the job page shows while the render runs.
SEE_LIVE_FRAMES = """
window.liveFrames = 0;
let lastFrame = null;
setInterval(() => {
  const box = document.querySelector('[data-preview-box]'), img = document.querySelector('[data-preview]');
  if (box && !box.hidden && img.src.startsWith('data:image/jpeg') && img.naturalWidth > 0 && img.src !== lastFrame) {
    lastFrame = img.src;
    window.liveFrames += 1;
  }
}, 20);
"""


class Callbacks:
    """A web address on this machine that records the POSTs it receives (the render's callback)."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.append({"path": self.path, "body": json.loads(body)})
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/video"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def picture_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", PICTURE, ORANGE).save(out, "PNG")
    return out.getvalue()


def editor(page):
    return page.evaluate("window.composerEditor.scene()")


def test_alice_composes_bob_approves_and_the_video_is_downloaded(server, browser):
    alice = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    sign_in(server, alice, "alice")
    project = f"{server.base}/p/{server.project_id}"

    # Her picture goes into the project's library, with a progress bar.
    alice.goto(f"{project}/assets")
    alice.set_input_files("[data-upload-input]", files=[
        {"name": "Summer sale.png", "mimeType": "image/png", "buffer": picture_png()}])
    alice.wait_for_function("document.querySelector(\"[data-upload='Summer sale.png']\")?.classList.contains('is-done')",
                            timeout=30000)
    picture_id = alice.locator(".asset-card", has_text="Summer sale").get_attribute("data-asset")

    # A new portrait script from a two-scene starter opens in the editor.
    alice.goto(f"{project}/scripts")
    alice.click("[data-new-script]")
    alice.fill("#new-name", "Summer sale")
    alice.check("input[name=orientation][value=portrait]")
    alice.select_option("#new-start", "welcome")
    alice.click("[data-create]")
    alice.wait_for_url(f"{project}/scripts/**")
    script_id = alice.url.rsplit("/", 1)[1]
    alice.wait_for_function("window.composerEditor && document.querySelector('.ed-sizer')?.dataset.zoom")
    alice.wait_for_function("[...document.querySelectorAll('.ed-stage img')].every((i) => i.complete)")
    assert alice.locator("[data-scene]").count() == 2
    z = stage(alice)["z"]

    # The avatar moves 120 px to the right (it becomes a layer of its own).
    rig = next(a for a in alice.evaluate("window.composerEditor.meta.presets.avatars")
               if a["asset_id"] == alice.evaluate("window.composerEditor.doc.model_asset_id"))["rig"]
    ax, ay, aw, ah = avatar_figure_box(rig, (1080, 1920))
    drag(alice, (ax + aw / 2, ay + ah / 2), (120 * z, 0))
    # Her picture, chosen in the image picker and placed by its numbers.
    alice.locator("[data-add-layer='IMAGE']").click()
    alice.locator(f"dialog[data-image-picker] [data-pick-asset='{picture_id}']").click()
    props = alice.locator("#layer-props")
    props.locator("[name='position.dx']").wait_for()
    for name, value in (("position.dx", PLACED[0]), ("position.dy", PLACED[1]), ("size.width", PICTURE[0]),
                        ("size.height", PICTURE[1])):
        props.locator(f"[name='{name}']").fill(str(value))
        props.locator(f"[name='{name}']").press("Tab")
    # A caption, turned 12 degrees.
    alice.locator("[data-add-layer='TEXT']").click()
    props.locator("[name='text_config.text_context']").fill("Summer sale: 30% off")
    props.locator("[name='text_config.text_context']").press("Tab")
    props.locator("[name='rotation.angle']").fill("12")
    props.locator("[name='rotation.angle']").press("Tab")
    alice.wait_for_function("window.composerEditor.scene().layer_config.some(l => l.rotation?.angle === 12)")

    # The script: a pause after the greeting and a wave, through the toolbar.
    alice.click("[data-tab='script']")
    text = alice.locator("#script-text")
    text.fill("Hello everyone! Our summer sale starts today.")
    alice.eval_on_selector("#script-text", "(t) => t.setSelectionRange(15, 15)")
    alice.click("[data-tool='pause']")
    alice.fill(".ssml-popover [name='time']", "600")
    alice.click(".ssml-popover button[type=submit]")
    alice.eval_on_selector("#script-text", "(t) => t.setSelectionRange(7, 7)")
    alice.click("[data-tool='action']")
    alice.select_option(".ssml-popover select[name='name']", "wave")
    alice.click(".ssml-popover button[type=submit]")
    good = text.input_value()
    assert '<break time="600ms"/>' in good and "wave" in good
    # A typo: the check names the line and column; fixing it clears the message.
    text.fill(good.replace("</speak>", "<brake/></speak>"))
    error = alice.locator("#script-errors li").first
    error.wait_for()
    assert error.inner_text().startswith("Line 1, column") and "brake" in error.inner_text()
    text.fill(good)
    alice.wait_for_function("document.querySelectorAll('#script-errors li').length === 0")
    saved(alice, 2)
    alice.wait_for_function("(() => { const s = window.composerEditor.saveState; return !s.dirty && !s.saving; })()",
                            timeout=20000)

    stored = server.api("GET", f"/digital-human-video-scripts/{script_id}").json()
    scene = stored["shoot_scripts"][0]["shoot_script"]
    by_type = {layer["layer_type"]: layer for layer in scene["layer_config"]}
    assert set(by_type) == {"HUMAN", "IMAGE", "TEXT"}
    assert abs(by_type["HUMAN"]["position"]["dx"] - (ax + 120)) <= 1
    assert by_type["IMAGE"]["asset_id"] == picture_id
    assert by_type["IMAGE"]["position"]["dx"] == PLACED[0] and by_type["IMAGE"]["position"]["dy"] == PLACED[1]
    assert by_type["TEXT"]["rotation"] == {"angle": 12}
    assert scene["text_config"]["text"] == good

    # Alice asks for approval from the editor's review bar.
    bar = alice.locator("#review-bar")
    bar.locator("[data-request-approval]").click()
    alice.wait_for_function("document.querySelector('[data-review-state]').textContent === 'Waiting for approval'")
    assert bar.locator("[data-render]").is_disabled()

    # Bob finds it in his inbox, reads the previews and approves.
    bob = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    sign_in(server, bob, "bob")
    bob.goto(f"{project}/approvals")
    bob.locator("[data-pending] [data-request]", has_text="Summer sale").locator("a.btn").click()
    bob.wait_for_url("**/approvals/**")
    bob.wait_for_function("[...document.querySelectorAll('[data-preview]')].length === 2 && "
                          "[...document.querySelectorAll('[data-preview]')].every(i => i.complete && i.naturalWidth > 0)",
                          timeout=60000)
    bob.fill("#decision-comment", "Looks great")
    bob.click("[data-approve]")
    bob.wait_for_selector("[data-render-box]:not([hidden])")

    # Alice renders the approved revision and watches it to the end, live frames included.
    alice.add_init_script(SEE_LIVE_FRAMES)
    alice.reload()
    bar.locator("[data-review-state]").wait_for()
    assert bar.locator("[data-review-state]").inner_text().startswith("Approved")
    bar.locator("[data-render]").click()
    # In the render dialog: the video's name, and a signed callback; the missing key is named beside its field.
    callbacks = Callbacks()
    dialog = alice.locator("dialog.render-dialog")
    dialog.locator("[name=asset_name]").fill("Summer sale teaser")
    dialog.locator(".render-callback summary").click()
    dialog.locator("[name=callback_url]").fill(callbacks.url)
    dialog.locator("[name=auth_type]").select_option("MSS_A")
    alice.click("[data-confirm-render]")
    assert "required when auth_type is MSS_A" in dialog.locator("[name=key] ~ .field-error").inner_text()
    dialog.locator("[name=key]").fill("s3cret")
    alice.click("[data-confirm-render]")
    alice.wait_for_url(f"{project}/videos/**")
    assert "Summer sale teaser" in alice.locator("h1").inner_text()
    alice.wait_for_function("document.querySelector('[data-percent]').textContent !== '100%'")
    alice.wait_for_function("document.querySelector('[data-state-badge]').textContent === 'Ready'", timeout=300000)
    assert alice.locator("[data-percent]").inner_text() == "100%"
    assert alice.evaluate("window.liveFrames") >= 1, "no live preview frame was shown while rendering"
    alice.wait_for_function("(() => { const v = document.querySelector('[data-player]');"
                            " return v.readyState >= 2 && v.duration > 0; })()", timeout=30000)

    video = next(a.get_attribute("href") for a in alice.locator("[data-downloads] a").all()
                 if a.get_attribute("data-download").startswith("Video"))
    cookies = {c["name"]: c["value"] for c in alice.context.cookies()}
    with httpx.Client(base_url=server.base, cookies=cookies, timeout=60) as client:
        data = client.get(video).content
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        assert (stream.width, stream.height) == (1080, 1920) and stream.codec_context.name == "h264"
        assert container.streams.audio, "the video has no sound"
        assert container.duration / av.time_base > 3
        frame = next(container.decode(video=0)).to_ndarray(format="rgb24")
    # Her picture is where she put it (an inset, to stay clear of scaling at the edges).
    x, y = PLACED
    patch = frame[y + 20:y + PICTURE[1] - 20, x + 20:x + PICTURE[0] - 20].reshape(-1, 3).mean(axis=0)
    assert np.abs(patch - np.array(ORANGE)).max() < 25, patch

    # The callback arrived, signed with her key as MSS_A says.
    (call,) = wait_for(lambda: callbacks.received, timeout=10, interval=0.1)
    job_id = alice.url.rsplit("/", 1)[1]
    assert call["body"]["result"] == "SUCCEED" and call["body"]["job_id"] == job_id
    query = parse_qs(urlsplit(call["path"]).query)
    expected = hmac.new(b"s3cret", (callbacks.url + query["time_stamp"][0]).encode(), hashlib.sha256).hexdigest()
    assert query["secret"] == [expected]
    callbacks.server.shutdown()
