"""In Chromium: the approver sees the whole of a never-approved script in words; a rejection cannot be sidestepped
by asking again unchanged (a note answers it, and the approver reads the note); scripts and videos are renamed in
place and the new names show everywhere; "Render again" opens the render dialog with the old values."""
from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import pytest
from PIL import Image

from tests.support.browser import sign_in
from tests.support.factories import create_body

pytestmark = pytest.mark.e2e

SCRIPTS = "/digital-human-video-scripts"
SHOTS = Path(os.environ.get("COMPOSER_SCREENSHOTS", "/tmp/composer-screenshots"))


def new_page(browser, viewport=(1280, 900)):
    return browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}).new_page()


def logo_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (300, 120), (20, 90, 200, 255)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def logo(server) -> str:
    return server.upload("Acme logo", "IMAGE", "acme.png", logo_png(), "image/png")


def launch_script(server, name: str, logo: str) -> str:
    """Two scenes (the welcome starter), a logo and a headline on the first, SSML with a pause and a wave, music."""
    from composer.scripts.starters import starter_composition

    composition = starter_composition("landscape", "welcome")
    composition["background_music_config"] = {"music_asset_id": "music-bright-pulse", "volume": 100}
    first = composition["shoot_scripts"][0]["shoot_script"]
    first["text_config"]["text"] = ('<speak>Welcome aboard!<break time="500ms"/><insert-action name="wave"/> '
                                    "We are glad you are here.</speak>")
    first["layer_config"] = [
        {"layer_type": "IMAGE", "asset_id": logo, "position": {"dx": 40, "dy": 40, "layer_index": 2},
         "size": {"width": 300, "height": 120}},
        {"layer_type": "TEXT", "position": {"dx": 120, "dy": 820, "layer_index": 3},
         "size": {"width": 900, "height": 120},
         "text_config": {"text_context": base64.b64encode(b"Spring sale").decode(), "font_size": 64}}]
    created = server.api("POST", SCRIPTS, json={"script_name": name, **composition})
    assert created.status_code == 200, created.text
    # An autosave after the first revision: the approver must not see only what it changed.
    script_id = created.json()["script_id"]
    composition["voice_config"]["speed"] = 110
    assert server.api("PUT", f"{SCRIPTS}/{script_id}", json={"base_revision": 1, **composition}).status_code == 200
    return script_id


def request_id_of(server, script_id: str) -> str:
    pending = server.api("GET", "/approval-requests?state=PENDING").json()["approval_requests"]
    return next(r["request_id"] for r in pending if r["script_id"] == script_id)


def test_a_never_approved_script_is_shown_whole_in_words(server, browser, logo):
    script_id = launch_script(server, "Launch welcome", logo)
    assert server.api("POST", f"{SCRIPTS}/{script_id}/approval-requests", json={}).status_code == 200
    bob = new_page(browser)
    sign_in(server, bob, "bob")
    bob.goto(f"{server.base}/p/{server.project_id}/approvals/{request_id_of(server, script_id)}")
    bob.wait_for_selector("[data-diff] .change-group")
    assert "everything below is new" in bob.locator("[data-compare]").inner_text()
    groups = [g.get_attribute("data-group") for g in bob.locator("[data-diff] .change-group").all()]
    assert groups == ["Video, presenter and voice", "Scene 1", "Scene 2"]
    diff = bob.locator("[data-diff]").inner_text()
    for words in ("Background music", "Bright pulse, volume 100", "Presenter", "Voice", "speed 110",
                  "1920 × 1080 (landscape), MP4 (H.264)", "Subtitles", "Gestures",
                  "Welcome aboard! (pause 0.5 s) (wave) We are glad you are here.",
                  "Image “Acme logo”, at x 40, y 40, 300 × 120 px", "Text “Spring sale”, font size 64",
                  "Picture “Warm office (landscape)”", "I will show you where to find everything you need"):
        assert words in diff, words
    scene1 = bob.locator("[data-group='Scene 1']").inner_text()
    assert "Layer 1" in scene1 and "Layer 2" in scene1 and "Background" in scene1 and "Script text" in scene1
    assert "Script text" in bob.locator("[data-group='Scene 2']").inner_text()
    assert "{" not in diff and "<" not in diff and logo not in diff
    assert bob.locator("[data-diff] [data-change=added]").count() == bob.locator("[data-diff] [data-change]").count()
    scenes = bob.locator("[data-scenes]").inner_text()
    assert "Welcome aboard! (pause 0.5 s) (wave) We are glad you are here." in scenes and "<" not in scenes
    bob.wait_for_function("[...document.querySelectorAll('[data-preview]')].every(i => i.complete && i.naturalWidth > 0)",
                          timeout=60000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    bob.screenshot(path=str(SHOTS / "approval-never-approved.png"), full_page=True)


def test_a_rejection_is_answered_with_a_change_or_a_note(server, browser, logo):
    script_id = launch_script(server, "Autumn offer", logo)
    assert server.api("POST", f"{SCRIPTS}/{script_id}/approval-requests", json={}).status_code == 200
    request_id = request_id_of(server, script_id)
    bob = new_page(browser)
    sign_in(server, bob, "bob")
    bob.goto(f"{server.base}/p/{server.project_id}/approvals/{request_id}")
    bob.fill("#decision-comment", "The logo is too small")
    bob.click("[data-reject]")
    bob.wait_for_function("document.querySelector('[data-state]').textContent === 'Rejected'")

    demo = new_page(browser)
    sign_in(server, demo, "demo")
    demo.goto(f"{server.base}/p/{server.project_id}/scripts/{script_id}")
    bar = demo.locator("#review-bar")
    demo.wait_for_function("document.querySelector('[data-review-state]')?.textContent === 'Rejected'")
    assert bar.locator("[data-request-approval]").inner_text() == "Request approval again"
    bar.locator("[data-request-approval]").click()
    dialog = demo.locator("dialog.request-dialog")
    assert "bob rejected revision 2: “The logo is too small”" in dialog.inner_text()
    dialog.locator("[data-send-request]").click()                 # unchanged and no note: refused, said beside it
    refusal = dialog.locator("#request-note + .field-error")
    refusal.wait_for()
    assert refusal.inner_text() == ("This exact version was rejected by bob (“The logo is too small”). Change the "
                                    "script, or add a note to the approver that answers the rejection, before asking "
                                    "again")
    assert "note:" not in refusal.inner_text() and demo.locator("[data-review-state]").inner_text() == "Rejected"
    pending = server.api("GET", "/approval-requests?state=PENDING").json()["approval_requests"]
    assert all(r["script_id"] != script_id for r in pending)
    SHOTS.mkdir(parents=True, exist_ok=True)
    demo.screenshot(path=str(SHOTS / "request-again-refused.png"))

    note = "The logo is already at the brand's minimum size, legal asked for it"
    dialog.locator("#request-note").fill(note)
    dialog.locator("[data-send-request]").click()
    demo.wait_for_function("document.querySelector('[data-review-state]').textContent === 'Waiting for approval'")
    dialog.wait_for(state="hidden")      # the live review state may arrive before the answer closes it

    new_request = request_id_of(server, script_id)
    bob.goto(f"{server.base}/p/{server.project_id}/approvals")
    row = bob.locator(f"[data-pending] [data-request='{new_request}']")
    assert note in row.locator("[data-note]").inner_text()
    row.locator("a.btn").click()
    bob.wait_for_url(f"**/approvals/{new_request}")
    assert bob.locator("[data-note]").inner_text() == f"Note to the approver\n{note}"
    bob.screenshot(path=str(SHOTS / "approval-with-note.png"), full_page=True)


def test_scripts_and_videos_are_renamed_in_place(server, browser, logo):
    script_id = launch_script(server, "Draft 7", logo)
    demo = new_page(browser)
    sign_in(server, demo, "demo")
    demo.goto(f"{server.base}/p/{server.project_id}/scripts/{script_id}")
    demo.click(".ed-title [data-rename]")
    demo.fill(".ed-title [data-rename-form] input", "")
    demo.press(".ed-title [data-rename-form] input", "Enter")
    assert "Give the script a name" in demo.locator(".ed-title .field-error").inner_text()
    demo.fill(".ed-title [data-rename-form] input", "Summer launch")
    demo.press(".ed-title [data-rename-form] input", "Enter")
    demo.wait_for_function("document.querySelector('.ed-title h1').textContent === 'Summer launch'")
    assert server.api("GET", f"{SCRIPTS}/{script_id}").json()["script_name"] == "Summer launch"
    SHOTS.mkdir(parents=True, exist_ok=True)
    demo.screenshot(path=str(SHOTS / "editor-renamed.png"))
    demo.goto(f"{server.base}/p/{server.project_id}/")
    assert "Summer launch" in demo.locator("main").inner_text()

    # ... and on the scripts list, in place.
    demo.goto(f"{server.base}/p/{server.project_id}/scripts")
    row = demo.locator(f"tr[data-script='{script_id}']")
    row.locator("[data-rename]").click()
    row.locator("[data-rename-form] input").fill("Summer launch, final")
    row.locator("[data-rename-save]").click()
    row.locator(".list-title:text-is('Summer launch, final')").wait_for()
    demo.reload()
    assert demo.locator(f"tr[data-script='{script_id}'] .list-title").inner_text() == "Summer launch, final"

    # A finished video is renamed on its page; the list, the download's file name and the API follow.
    body = create_body(output_asset_config={"asset_name": "Untitled render"})
    body["video_config"].update({"width": 320, "height": 180, "clip_mode": "CROP", "dx": 1200, "dy": 100,
                                 "bitrate": 1000})
    job_id = server.api("POST", "/2d-digital-human-videos", json=body).json()["job_id"]
    demo.goto(f"{server.base}/p/{server.project_id}/videos/{job_id}")
    demo.wait_for_function("document.querySelector('[data-state-badge]').textContent === 'Ready'", timeout=120000)
    demo.click(".name-row [data-rename]")
    demo.fill("[data-rename-form] input", "Summer launch (web)")
    demo.click("[data-rename-save]")
    demo.wait_for_function("document.querySelector('h1[data-name]').textContent === 'Summer launch (web)'")
    assert demo.locator("[data-crumb-name]").inner_text() == "Summer launch (web)"
    with demo.expect_download() as download:
        demo.locator("[data-downloads] a").first.click()
    assert download.value.suggested_filename == "Summer launch (web).mp4"
    SHOTS.mkdir(parents=True, exist_ok=True)
    demo.screenshot(path=str(SHOTS / "video-renamed.png"), full_page=True)
    shown = server.api("GET", f"/2d-digital-human-videos/{job_id}").json()
    assert shown["output_asset_config"]["asset_name"] == "Summer launch (web)"
    demo.goto(f"{server.base}/p/{server.project_id}/videos")
    assert "Summer launch (web)" in demo.locator(f"[data-job='{job_id}']").inner_text()

    demo.goto(f"{server.base}/p/{server.project_id}/audit")
    audit = demo.locator("main").inner_text()
    assert "renamed script “Draft 7” to “Summer launch”" in audit
    assert "renamed script “Summer launch” to “Summer launch, final”" in audit
    assert "renamed video “Untitled render” to “Summer launch (web)”" in audit


def test_render_again_opens_the_dialog_with_the_old_values(server, browser, logo):
    script_id = launch_script(server, "Second try", logo)
    job_id = server.api("POST", "/2d-digital-human-videos", json={
        "script_id": script_id, "output_asset_config": {"asset_name": "Second try, take 1"},
        "callback_config": {"callback_url": "http://127.0.0.1:9/hooks/video", "auth_type": "NONE"}}).json()["job_id"]
    assert server.api("POST", f"/2d-digital-human-videos/{job_id}/cancel").status_code == 200
    demo = new_page(browser)
    sign_in(server, demo, "demo")
    demo.goto(f"{server.base}/p/{server.project_id}/videos/{job_id}")
    demo.locator("[data-canceled] [data-retry]").click()
    dialog = demo.locator("dialog.render-dialog")
    dialog.wait_for()
    assert demo.url.endswith(job_id)                                  # nothing started yet
    assert dialog.locator("#render-name").input_value() == "Second try, take 1"
    assert dialog.locator("#render-callback").input_value() == "http://127.0.0.1:9/hooks/video"
    assert dialog.locator("#render-auth").input_value() == "NONE"
    demo.screenshot(path=str(SHOTS / "render-again-dialog.png"))
    dialog.locator("#render-name").fill("Second try, take 2")
    dialog.locator("[data-confirm-render]").click()
    demo.wait_for_url(lambda url: "/videos/" in url and not url.endswith(job_id))
    again = demo.url.rsplit("/", 1)[1]
    assert demo.locator("h1[data-name]").inner_text() == "Second try, take 2"
    shown = server.api("GET", f"/2d-digital-human-videos/{again}").json()
    assert shown["script_id"] == script_id and shown["output_asset_config"]["asset_name"] == "Second try, take 2"
    server.api("POST", f"/2d-digital-human-videos/{again}/cancel")
