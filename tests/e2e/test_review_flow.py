"""In Chromium: a script goes from the New script dialog through approval to a rendered, downloadable video;
a second job is canceled from its page; a failed job explains itself in plain words."""
from __future__ import annotations

import io

import av
import httpx
import pytest

from tests.support.browser import sign_in
from tests.support.factories import create_body, create_composition

pytestmark = pytest.mark.e2e

SCRIPTS = "/digital-human-video-scripts"


def tiny_parts(text: str) -> dict:
    """A real but tiny render: 320x180 cropped from the presenter's frame, plain background."""
    body = create_composition()
    body["video_config"].update({"clip_mode": "CROP", "width": 320, "height": 180, "dx": 1200, "dy": 100,
                                 "bitrate": 1000})
    body["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] = text
    return body


RECORD_PROGRESS = """
window.seenProgress = [];
setInterval(() => {
  const stage = document.querySelector('[data-stage-label]'), percent = document.querySelector('[data-percent]');
  if (!stage) return;
  const last = window.seenProgress[window.seenProgress.length - 1];
  const now = [stage.textContent, percent.textContent];
  if (!last || last[0] !== now[0] || last[1] !== now[1]) window.seenProgress.push(now);
}, 20);
"""


def new_context_page(browser, viewport=(1280, 800)):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    return context.new_page()


def cookies_of(page) -> dict:
    return {c["name"]: c["value"] for c in page.context.cookies()}


def decode_frames(data: bytes) -> int:
    with av.open(io.BytesIO(data)) as container:
        return sum(1 for _ in container.decode(video=0))


def create_script_from_dialog(server, page, name: str) -> str:
    page.goto(f"{server.base}/p/{server.project_id}/scripts")
    page.click("[data-new-script]")
    page.click("[data-create]")                      # no name yet: the rule is said beside the field
    assert "name" in page.locator("dialog[data-dialog=new] .field-error").inner_text()
    page.fill("#new-name", name)
    page.check("input[name=orientation][value=landscape]")
    page.select_option("#new-start", "welcome")
    page.click("[data-create]")
    page.wait_for_url(f"{server.base}/p/{server.project_id}/scripts/**")
    scripts = server.api("GET", f"{SCRIPTS}?name={name}").json()["video_scripts"]
    assert [s["script_name"] for s in scripts] == [name]
    assert page.url.endswith(scripts[0]["script_id"])
    return scripts[0]["script_id"]


def test_a_script_is_approved_rendered_and_downloaded(server, browser):
    alice = new_context_page(browser)
    sign_in(server, alice, "alice")
    script_id = create_script_from_dialog(server, alice, "Spring teaser")

    # A teammate sets up a tiny render (revision 2, through the API); alice's editor shows it after a reload.
    text = "Spring is here. This short teaser walks through approval and renders while you watch."
    saved = server.api("PUT", f"{SCRIPTS}/{script_id}", json={"base_revision": 1, **tiny_parts(text)})
    assert saved.status_code == 200, saved.text
    alice.reload()
    bar = alice.locator("#review-bar")
    bar.locator("[data-review-state]").wait_for()
    assert bar.locator("[data-review-state]").inner_text() == "Not approved"
    assert bar.locator("[data-render]").is_disabled()            # the demo project requires approval
    bar.locator("[data-request-approval]").click()
    alice.wait_for_function("document.querySelector('[data-review-state]').textContent === 'Waiting for approval'")
    assert bar.locator("[data-request-approval]").is_disabled()
    request_href = bar.locator(".review-detail a").get_attribute("href")
    pending = server.api("GET", "/approval-requests?state=PENDING").json()["approval_requests"]
    request_id = next(r["request_id"] for r in pending if r["script_id"] == script_id)
    assert request_href.endswith(f"/approvals/{request_id}") and pending[0]["revision"] == 2

    bob = new_context_page(browser)
    sign_in(server, bob, "bob")
    bob.goto(f"{server.base}/p/{server.project_id}/approvals")
    row = bob.locator(f"[data-pending] [data-request='{request_id}']")
    assert "Spring teaser" in row.inner_text() and "Revision 2" in row.inner_text()
    row.locator("a.btn").click()
    bob.wait_for_url(f"**/approvals/{request_id}")

    # The diff against revision 1 reads in words, and every scene preview is a real picture from the renderer.
    bob.wait_for_selector("[data-diff] .change-group")
    diff = bob.locator("[data-diff]").inner_text()
    assert "Script text" in bob.locator("[data-group='Scene 1']").inner_text() and "Spring is here" in diff
    previews = bob.locator("[data-preview]")
    assert previews.count() == 1
    bob.wait_for_function("[...document.querySelectorAll('[data-preview]')].every(i => i.complete && i.naturalWidth > 0)", timeout=60000)
    assert bob.locator("[data-review-ok]").is_visible()

    bob.fill("#decision-comment", "Lovely, ship it")
    bob.click("[data-approve]")
    bob.wait_for_selector("[data-render-box]:not([hidden])")
    assert bob.locator("[data-state]").inner_text() == "Approved"
    assert "Lovely, ship it" in bob.locator("[data-outcome]").inner_text()

    # Everything the job page shows is recorded as it changes, to check it moved live without a reload.
    bob.add_init_script(RECORD_PROGRESS)
    bob.click("[data-render]")
    bob.wait_for_url(f"{server.base}/p/{server.project_id}/videos/**")
    bob.wait_for_function("document.querySelector('[data-state-badge]').textContent === 'Ready'", timeout=120000)
    # The recorder samples every 20 ms: let it see the final state the page now shows.
    bob.wait_for_function("window.seenProgress.at(-1)?.[0] === 'Finished'", timeout=5000)
    # Samples taken before the page's module drew the bar (the width is set from script, not a style attribute,
    # under the Content-Security-Policy) carry no width yet.
    seen = [sample for sample in bob.evaluate("window.seenProgress") if sample[1]]
    stages = [stage for stage, _ in seen]
    percents = [float(percent.rstrip("%")) for _, percent in seen]
    assert {"Speech", "Finished"} <= set(stages) and len(set(stages)) >= 4 and stages[-1] == "Finished", seen
    assert len({p for p in percents if 0 < p < 100}) >= 2 and percents == sorted(percents), seen
    assert bob.locator("[data-stepper] li.done").count() == 6
    bob.wait_for_function("document.querySelector('[data-state-badge]').textContent === 'Ready'", timeout=120000)
    bob.wait_for_function("(() => { const v = document.querySelector('[data-player]');"
                          " return v.readyState >= 2 && v.duration > 0; })()", timeout=30000)
    assert bob.locator("[data-percent]").inner_text() == "100%"

    links = {a.get_attribute("data-download"): a.get_attribute("href")
             for a in bob.locator("[data-downloads] a").all()}
    assert set(links) == {"Video (MP4)", "Cover image", "Subtitles (SRT)", "Subtitles (VTT)"}
    with httpx.Client(base_url=server.base, cookies=cookies_of(bob), timeout=30) as client:
        got = {label: client.get(href) for label, href in links.items()}
    assert all(r.status_code == 200 for r in got.values()), {k: r.status_code for k, r in got.items()}
    assert decode_frames(got["Video (MP4)"].content) > 10
    with av.open(io.BytesIO(got["Video (MP4)"].content)) as container:
        assert (container.streams.video[0].width, container.streams.video[0].height) == (320, 180)
    assert decode_frames(got["Cover image"].content) == 1
    assert "-->" in got["Subtitles (SRT)"].text and got["Subtitles (VTT)"].text.startswith("WEBVTT")

    # Back in the editor, the review bar knows the revision is approved and renders it after a confirmation.
    alice.reload()
    bar.locator("[data-review-state]").wait_for()
    assert bar.locator("[data-review-state]").inner_text() == "Approved · revision 2"
    bar.locator("[data-render]").click()
    summary = alice.locator("dialog.render-dialog .render-summary").inner_text()
    assert "320 × 180" in summary and "MP4 (H.264)" in summary
    alice.click("[data-confirm-render]")
    alice.wait_for_url(f"{server.base}/p/{server.project_id}/videos/**")
    rendered = server.api("GET", f"/2d-digital-human-videos/{alice.url.rsplit('/', 1)[1]}").json()
    assert rendered["script_id"] == script_id

    # Any later edit needs a new approval, and the bar says so.
    edited = server.api("PUT", f"{SCRIPTS}/{script_id}", json={"base_revision": 2, **tiny_parts("A new line.")})
    assert edited.status_code == 200, edited.text
    alice.go_back()
    alice.reload()
    bar.locator("[data-review-state]").wait_for()
    assert bar.locator("[data-review-state]").inner_text() == "Edited since approval"
    assert bar.locator("[data-render]").is_disabled() and bar.locator("[data-request-approval]").is_enabled()


def test_a_render_is_canceled_from_its_page(server, page):
    body = create_body(output_asset_config={"asset_name": "Too long to wait for"})
    body["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] = " ".join(
        ["This sentence keeps the renderer busy for a good while, so there is time to cancel it."] * 12)
    job_id = server.api("POST", "/2d-digital-human-videos", json=body).json()["job_id"]
    sign_in(server, page, "demo")
    page.goto(f"{server.base}/p/{server.project_id}/videos/{job_id}")
    page.click("[data-cancel]")
    page.click("[data-confirm-cancel]")
    page.wait_for_function("document.querySelector('[data-state-badge]').textContent === 'Canceled'", timeout=30000)
    assert page.locator("[data-canceled]").is_visible() and page.locator("[data-cancel]").is_hidden()
    assert server.api("GET", f"/2d-digital-human-videos/{job_id}").json()["state"] == "CANCELED"


def test_a_failed_render_is_explained_in_plain_words(server, page):
    body = create_body(output_asset_config={"asset_name": "Broken picture"})
    body["shoot_scripts"][0]["shoot_script"]["layer_config"] = [{
        "layer_type": "IMAGE", "position": {"dx": 10, "dy": 10, "layer_index": 2}, "size": {"width": 200, "height": 100},
        "image_config": {"image_url": "http://127.0.0.1:9/logo.png"}}]
    created = server.api("POST", "/2d-digital-human-videos", json=body)
    assert created.status_code == 200, created.text
    sign_in(server, page, "demo")
    page.goto(f"{server.base}/p/{server.project_id}/videos/{created.json()['job_id']}")
    page.wait_for_selector("[data-failure]:not([hidden])", timeout=60000)
    words = page.locator("[data-failure-message]").inner_text() + page.locator("[data-failure-advice]").inner_text()
    assert "could not be fetched" in words and "upload the file to the asset library" in words
    assert page.locator("[data-failure-code]").is_hidden()           # technical detail stays folded away
    page.click("[data-failure] summary")
    assert "MSS.00000010" in page.locator("[data-failure-code]").inner_text()
    page.goto(f"{server.base}/p/{server.project_id}/videos?state=FAILED")
    detail = page.locator(f"[data-job='{created.json()['job_id']}'] [data-detail]").inner_text()
    assert detail == "Scene 1: A picture, video or sound used in the script could not be fetched from its web address."


def test_the_videos_list_follows_new_jobs_and_filters(server, page):
    sign_in(server, page, "bob")
    page.goto(f"{server.base}/p/{server.project_id}/videos")
    page.wait_for_selector("[data-live-status][data-status=live]")
    body = create_body(output_asset_config={"asset_name": "Fresh from the API"})
    job_id = server.api("POST", "/2d-digital-human-videos", json=body).json()["job_id"]
    page.locator(f"[data-job='{job_id}']").wait_for(timeout=30000)
    # Canceled at once (long before its render could end), so the filter below has a job of its own to show.
    assert server.api("POST", f"/2d-digital-human-videos/{job_id}/cancel").status_code == 200
    page.goto(f"{server.base}/p/{server.project_id}/videos?state=CANCELED")
    assert page.locator(f"[data-job='{job_id}']").count() == 1
    assert all(b.inner_text() == "Canceled" for b in page.locator("[data-jobs] .badge").all())


def test_refused_decisions_are_explained(server, browser):
    from composer.scripts.starters import starter_composition

    created = server.api("POST", SCRIPTS, json={"script_name": "Summer teaser",
                                                 **starter_composition("landscape", "presenter")}).json()
    request_id = server.api("POST", f"{SCRIPTS}/{created['script_id']}/approval-requests", json={}).json()["request_id"]
    demo = new_context_page(browser)
    sign_in(server, demo, "demo")
    demo.goto(f"{server.base}/p/{server.project_id}/approvals/{request_id}")
    demo.click("[data-reject]")                       # a rejection needs a reason, said beside the comment
    assert "say why the revision is rejected" in demo.locator(".field-error").inner_text().lower()
    demo.click("[data-approve]")                      # the owner wrote it, and self-approval is off
    assert "another approver must decide" in demo.locator("[data-decide-form] .form-error").inner_text()

    # A word put on the review list after the request blocks the approval, and the page names it and where.
    assert server.api("PUT", "/review-words", json={"review_words": ["replace"]}).status_code == 200
    try:
        bob = new_context_page(browser)
        sign_in(server, bob, "bob")
        bob.goto(f"{server.base}/p/{server.project_id}/approvals/{request_id}")
        assert "“replace” Scene 1 · script text" in bob.locator("[data-hits]").inner_text()
        bob.click("[data-approve]")
        said = bob.locator("[data-decide-form] .form-error").inner_text()
        assert "review list were found: “replace” (Scene 1 · script text)" in said and "shoot_scripts" not in said
        assert bob.locator("[data-state]").inner_text() == "Waiting for a decision"
    finally:
        server.api("PUT", "/review-words", json={"review_words": []})


def test_scripts_are_copied_and_deleted_from_the_list(server, page):
    sign_in(server, page, "alice")
    create_script_from_dialog(server, page, "Autumn teaser")
    page.goto(f"{server.base}/p/{server.project_id}/scripts?q=Autumn")
    page.click("tr:has-text('Autumn teaser') [data-copy]")
    page.fill("#copy-name", "")
    page.click("dialog[data-dialog=copy] [type=submit]")
    assert "name" in page.locator("dialog[data-dialog=copy] .field-error").inner_text()
    page.fill("#copy-name", "Autumn teaser, short cut")
    page.click("dialog[data-dialog=copy] [type=submit]")
    page.locator("tr:has-text('Autumn teaser, short cut')").wait_for()
    names = [s["script_name"] for s in server.api("GET", f"{SCRIPTS}?name=Autumn").json()["video_scripts"]]
    assert sorted(names) == ["Autumn teaser", "Autumn teaser, short cut"]

    page.click("tr:has-text('Autumn teaser, short cut') [data-delete]")
    assert "Autumn teaser, short cut" in page.locator("[data-delete-name]").inner_text()
    page.click("[data-confirm-delete]")
    page.locator("tr:has-text('Autumn teaser, short cut')").wait_for(state="detached")
    names = [s["script_name"] for s in server.api("GET", f"{SCRIPTS}?name=Autumn").json()["video_scripts"]]
    assert names == ["Autumn teaser"]


def test_a_canceled_script_render_is_started_again_from_its_page(server, page):
    script = server.api("POST", SCRIPTS, json={"script_name": "Second try", **tiny_parts("Second time lucky.")})
    assert script.status_code == 200, script.text
    script_id = script.json()["script_id"]
    job_id = server.api("POST", "/2d-digital-human-videos",
                        json={"script_id": script_id, "output_asset_config": {"asset_name": "Second try"}}).json()["job_id"]
    assert server.api("POST", f"/2d-digital-human-videos/{job_id}/cancel").status_code == 200
    sign_in(server, page, "demo")
    page.goto(f"{server.base}/p/{server.project_id}/videos/{job_id}")
    page.locator("[data-canceled] [data-retry]").click()
    assert page.locator("#render-name").input_value() == "Second try"     # the render dialog, with the old name
    page.click("[data-confirm-render]")
    page.wait_for_url(lambda url: url.endswith("/videos/" + job_id) is False and "/videos/" in url)
    page.wait_for_function("document.querySelector('[data-state-badge]').textContent === 'Ready'", timeout=120000)
    again = server.api("GET", f"/2d-digital-human-videos/{page.url.rsplit('/', 1)[1]}").json()
    assert again["script_id"] == script_id and again["state"] == "SUCCEED"
