"""Starting a batch from the studio (Chromium): the New batch page reads a spreadsheet, matches its columns to the
template's variables, refuses a bad row with its reason beside it (Start stays off), and starts the batch once
every row is accepted; and a marketer's whole journey, from making a template in the editor to a ZIP of videos
that each say and show their own name."""
from __future__ import annotations

import base64
import io
import json
import time
import zipfile

import av
import httpx
import numpy
import pytest

from tests.support.browser import sign_in, wait_live
from tests.support.editor_page import head, layers, open_editor
from tests.support.factories import create_composition, template_composition, text_layer

pytestmark = pytest.mark.e2e

SCRIPTS = "/digital-human-video-scripts"
#: a tiny render: the top-left corner of the layout, where the text layer is (the presenter stands elsewhere)
CORNER = {"clip_mode": "CROP", "width": 320, "height": 180, "dx": 0, "dy": 0, "bitrate": 1000}
#: where the text layer is drawn, in the cropped video's pixels (the crop starts at the layout's origin)
TEXT_BOX = (10, 20, 310, 90)     # x0, y0, x1, y1


def approve_as_bob(server, script_id: str) -> None:
    asked = server.api("POST", f"{SCRIPTS}/{script_id}/approval-requests", json={})
    assert asked.status_code == 200, asked.text
    bob = json.loads(server.manage("authtoken", "--username", "bob"))["token"]
    approved = httpx.post(f"{server.base}/v1/{server.project_id}{SCRIPTS}/{script_id}/approve",
                          json={"comment": "Fine"}, headers={"X-Auth-Token": bob}, timeout=30)
    assert approved.status_code == 200, approved.text


def new_template(server, name: str, *, approved: bool) -> str:
    composition = template_composition(text="<speak>Hi {{first_name}}.</speak>")
    composition["video_config"].update(CORNER)
    created = server.api("POST", SCRIPTS, json={"script_name": name, **composition})
    assert created.status_code == 200, created.text
    script_id = created.json()["script_id"]
    if approved:
        approve_as_bob(server, script_id)
    return script_id


def csv_file(rows: list[list[str]], name: str = "rows.csv") -> dict:
    text = "\n".join(",".join(row) for row in rows) + "\n"
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}


def result_rows(page) -> list[tuple[str, str, str]]:
    """Each checked row as the page shows it: (row number, OK or refused, its check cell's text)."""
    return [(row.locator("td").first.inner_text(), row.get_attribute("data-ok"), row.locator("td").last.inner_text())
            for row in page.locator("[data-results] tr").all()]


def test_a_bad_row_is_refused_beside_it_and_a_corrected_file_starts_the_batch(server, page):
    script_id = new_template(server, "Welcome card", approved=True)
    waiting = new_template(server, "Draft card", approved=False)
    sign_in(server, page, "alice")
    page.goto(f"{server.base}/p/{server.project_id}/batches")
    page.click("[data-new-batch]")
    page.wait_for_url(f"**/p/{server.project_id}/batches/new")
    start = page.locator("[data-start]")

    # A template not approved yet: the page says why Start is off.
    page.select_option("[name=script_id]", waiting)
    assert "is not approved" in page.locator("[data-approval-note]").inner_text()
    assert start.is_disabled() and "not approved" in page.locator("[data-start-why]").inner_text()
    page.select_option("[name=script_id]", script_id)
    assert page.locator("[data-approval-note]").is_hidden()
    # The sample CSV link follows the chosen template (test_demo_template.py downloads one).
    assert page.get_attribute("[data-sample-csv]", "href") == \
        f"/v1/{server.project_id}{SCRIPTS}/{script_id}/rows/sample.csv"

    # Pasted rows whose first column is named nothing the template knows: the check asks for a mapping beside the
    # columns, and once the column is matched to {{first_name}} in its dropdown, the row is accepted.
    page.fill("[name=csv]", "Name,company,logo\nAnn,Acme,bg-warm-office-landscape\n")
    page.press("[name=csv]", "Tab")
    page.wait_for_selector("[data-map-column='Name'] select")
    assert page.locator("[data-map-column='Name'] select").input_value() == ""
    page.click("[data-check]")
    page.wait_for_selector("[data-mapping-section] .field-error")
    assert "no column for {{first_name}}" in page.locator("[data-mapping-section] .field-error").inner_text()
    page.select_option("[data-map-column='Name'] select", "first_name")
    page.click("[data-check]")
    page.wait_for_selector("[data-start]:enabled")
    assert result_rows(page) == [("2", "yes", "OK")]
    page.fill("[name=csv]", "")
    page.press("[name=csv]", "Tab")
    page.wait_for_selector("[data-start]:disabled")

    # No rows at all, then a file that is no text: each said beside the file field.
    page.click("[data-check]")
    assert "choose a CSV or Excel file" in page.locator(".field:has([name=file]) .field-error").inner_text()
    file_error = page.locator(".field:has([name=file]) .field-error")
    page.set_input_files("[name=file]", {"name": "rows.csv", "mimeType": "text/csv",
                                         "buffer": b"\xef\xbb\xbffirst_name\n\xff\xfe\n"})
    page.wait_for_selector(".field:has([name=file]) .field-error")
    assert file_error.inner_text().startswith("file: the file starts as utf-8")
    page.set_input_files("[name=file]", {"name": "big.csv", "mimeType": "text/csv",
                                         "buffer": b"first_name\n" + b"Ann\n" * 600_000})
    page.wait_for_function("document.querySelector('.field:has([name=file]) .field-error')?.textContent"
                           ".includes('larger than 2 MB')")

    # Five rows, the fourth's first name too long: its columns are matched by name ("First name" is first_name).
    too_long = "Maximilian" * 5
    header = ["First name", "company", "logo"]
    rows = [["Ann", "Acme", "bg-warm-office-landscape"], ["Bo", "Beta", "bg-studio-blue-landscape"],
            ["Cy", "Core", "bg-warm-office-landscape"], [too_long, "Delta", "bg-studio-blue-landscape"],
            ["Eve", "Echo", "bg-warm-office-landscape"]]
    page.set_input_files("[name=file]", csv_file([header, *rows]))
    page.wait_for_selector("[data-map-column='First name'] select")
    assert "5 rows, 3 columns" in page.locator("[data-columns-summary]").inner_text()
    chosen = {column: page.locator(f"[data-map-column='{column}'] select").input_value() for column in header}
    assert chosen == {"First name": "first_name", "company": "company", "logo": "logo"}
    page.click("[data-check]")
    page.wait_for_selector("[data-results] tr")
    shown = result_rows(page)
    assert [(number, ok) for number, ok, _ in shown] == [("2", "yes"), ("3", "yes"), ("4", "yes"), ("5", "no"),
                                                         ("6", "yes")]
    reason = shown[3][2]
    assert "column “First name”" in reason and "{{first_name}}" in reason and "rule" not in reason
    assert page.locator("[data-results] tr").nth(3).locator("li").get_attribute("data-rule") == "too_long"
    assert "1 of 5 rows refused" in page.locator("[data-check-summary]").inner_text()
    assert start.is_disabled() and "1 row is refused" in page.locator("[data-start-why]").inner_text()

    # The corrected file: read and checked again, every row accepted, and Start opens the new batch's page.
    rows[3][0] = "Dora"
    page.set_input_files("[name=file]", csv_file([header, *rows]))
    page.wait_for_selector("[data-check-results]", state="hidden")
    assert start.is_disabled()                      # a new file needs a new check
    page.wait_for_selector("[data-map-column='First name'] select")
    page.click("[data-check]")
    page.wait_for_selector("[data-start]:enabled")
    assert {ok for _, ok, _ in result_rows(page)} == {"yes"}
    assert page.locator("[data-start-why]").inner_text() == "Ready: 5 videos will render."
    with page.expect_navigation():
        start.click()
    assert f"/p/{server.project_id}/batches/" in page.url and not page.url.endswith("/new")
    batch_id = page.url.rsplit("/", 1)[1]
    try:
        names = page.locator("[data-rows] .name").all_inner_texts()
        assert names == ["Welcome Ann", "Welcome Bo", "Welcome Cy", "Welcome Dora", "Welcome Eve"]
        page.goto(f"{server.base}/p/{server.project_id}/batches")
        wait_live(page)
        listed = page.locator(f"[data-batch='{batch_id}']")
        assert "Welcome card" in listed.inner_text() and listed.locator("[data-rows-count]").inner_text() == "5"
    finally:
        # Its renders are not this test's subject: stop them so the next test has the worker.
        canceled = server.api("POST", f"/video-batches/{batch_id}/cancel", json={}).json()["canceled"]
    # The list follows the canceled rows live.
    page.wait_for_selector(f"[data-batch='{batch_id}'] [data-count=CANCELED]:text-is('{canceled}')")
    assert canceled > 0 and listed.locator("[data-count=WAITING]").inner_text() == "0"


def wait_saved_head(page, server, script_id: str, done, timeout: float = 30) -> dict:
    """The script's latest revision once the editor saved everything and `done(head)` holds."""
    deadline = time.monotonic() + timeout
    while True:
        page.wait_for_function("(() => { const s = window.composerEditor.saveState; "
                               "return !s.dirty && !s.saving; })()", timeout=20000)
        script = head(server, script_id)
        if done(script) or time.monotonic() > deadline:
            return script
        page.wait_for_timeout(300)


def text_of(layer: dict) -> str:
    return base64.b64decode(layer["text_config"]["text_context"]).decode("utf-8")


def build_template_in_editor(server, page) -> str:
    """Alice makes a plain script a template in the editor: a first-name variable in the script and the text
    layer, an image slot `logo` chosen as the picture layer's asset, and a video name."""
    plain = create_composition("<speak>Hi there.</speak>")
    plain["video_config"].update(CORNER)
    plain["shoot_scripts"][0]["shoot_script"]["layer_config"] = [
        {**text_layer("Hello", width=300), "position": {"dx": 10, "dy": 20, "layer_index": 3}},
        {"layer_type": "IMAGE", "asset_id": "bg-studio-blue-landscape", "position": {"dx": 200, "dy": 110,
                                                                                    "layer_index": 4},
         "size": {"width": 96, "height": 54}}]
    plain["shoot_scripts"][0]["shoot_script"]["layer_config"][0]["text_config"]["font_size"] = 44
    created = server.api("POST", SCRIPTS, json={"script_name": "Name card", **plain})
    assert created.status_code == 200, created.text
    script_id = created.json()["script_id"]
    open_editor(server, page, script_id, "alice")

    page.click("[data-tab='variables']")
    page.click("[data-add-variable]")                                 # a text variable
    name = page.locator("[data-variable='variable'] [data-field='template.variables[0].name']")
    name.fill("first_name")
    name.press("Tab")
    page.wait_for_selector("[data-variable-sample='first_name']")
    page.fill("[data-variable-sample='first_name']", "Ann")
    page.press("[data-variable-sample='first_name']", "Tab")
    page.select_option("select[aria-label='Kind of variable']", "image")
    page.click("[data-add-variable]")
    slot = page.locator("[data-variable='image'] [data-field='template.variables[1].name']")
    slot.fill("logo")
    slot.press("Tab")
    page.wait_for_selector("[data-variable='logo']")
    page.fill("[data-field='template.output_name']", "Hello {{first_name}}")
    page.press("[data-field='template.output_name']", "Tab")

    page.click("[data-tab='script']")
    page.fill("#script-text", "Hi {{first_name}}.")
    page.click("[data-tab='layers']")
    page.locator("[data-layer-row='L0'] .ed-layer-pick").click()
    page.fill("#layer-props [name='text_config.text_context']", "{{first_name}}")
    page.press("#layer-props [name='text_config.text_context']", "Tab")
    page.locator("[data-layer-row='L1'] .ed-layer-pick").click()
    page.select_option("#layer-props select[name='asset_id']", "{{logo}}")

    script = wait_saved_head(page, server, script_id, lambda s: [v["name"] for v in s.get("template", {}).get(
        "variables", [])] == ["first_name", "logo"] and layers(s)[1]["asset_id"] == "{{logo}}"
        and text_of(layers(s)[0]) == "{{first_name}}" and "{{first_name}}" in
        s["shoot_scripts"][0]["shoot_script"]["text_config"]["text"])
    assert [v["name"] for v in script["template"]["variables"]] == ["first_name", "logo"]
    assert script["template"]["output_name"] == "Hello {{first_name}}"
    assert layers(script)[1]["asset_id"] == "{{logo}}" and text_of(layers(script)[0]) == "{{first_name}}"
    return script_id


def dark_columns(frame: numpy.ndarray) -> numpy.ndarray:
    """The columns of the text box holding dark pixels: the text layer's #112233 letters on the light background."""
    x0, y0, x1, y1 = TEXT_BOX
    box = frame[y0:y1, x0:x1].astype(int).sum(axis=2)
    return numpy.flatnonzero((box < 200).any(axis=0))


def test_a_marketer_makes_a_template_gets_it_approved_and_downloads_a_video_per_row(server, browser):
    alice = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True).new_page()
    script_id = build_template_in_editor(server, alice)
    allowed = head(server, script_id)["template"]["variables"][1]["allowed"]

    # Approval asked from the editor's review bar; meanwhile the rows are checked on the New batch page,
    # reached from the script's row in the scripts list.
    bar = alice.locator("#review-bar")
    bar.locator("[data-request-approval]").click()
    alice.wait_for_function("document.querySelector('[data-review-state]').textContent === 'Waiting for approval'")
    alice.goto(f"{server.base}/p/{server.project_id}/scripts")
    alice.click(f"[data-script='{script_id}'] [data-start-batch]")
    alice.wait_for_url(f"**/batches/new?script={script_id}")
    assert alice.locator("[name=script_id]").input_value() == script_id
    assert "not approved" in alice.locator("[data-start-why]").inner_text()
    names = ["Ann", "Bartholomew", "Cy", "Dominique"]
    good = [[name, allowed[0]] for name in names]
    rows = [["first_name", "logo"], good[0], good[1], ["", allowed[0]], good[2], good[3]]
    alice.set_input_files("[name=file]", csv_file(rows))
    alice.wait_for_selector("[data-map-column='first_name'] select")
    alice.click("[data-check]")
    alice.wait_for_selector("[data-results] tr")
    verdicts = result_rows(alice)
    assert [ok for _, ok, _ in verdicts] == ["yes", "yes", "no", "yes", "yes"]
    assert "{{first_name}}" in verdicts[2][2] and "rule" not in verdicts[2][2]
    assert alice.locator("[data-results] tr").nth(2).locator("li").get_attribute("data-rule") == "missing"
    assert alice.locator("[data-start]").is_disabled()

    # Bob approves it from his approvals page.
    bob = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(server, bob, "bob")
    pending = server.api("GET", "/approval-requests?state=PENDING").json()["approval_requests"]
    request_id = next(r["request_id"] for r in pending if r["script_id"] == script_id)
    bob.goto(f"{server.base}/p/{server.project_id}/approvals/{request_id}")
    bob.fill("#decision-comment", "Good to go")
    bob.click("[data-approve]")
    bob.wait_for_selector("[data-render-box]:not([hidden])")
    bob.context.close()

    # Alice drops the bad row, checks again and starts; the batch page follows every row to Ready.
    alice.reload()
    assert alice.locator("[data-approval-note]").is_hidden()
    alice.set_input_files("[name=file]", csv_file([rows[0], *good]))
    alice.wait_for_selector("[data-map-column='first_name'] select")
    alice.click("[data-check]")
    alice.wait_for_selector("[data-start]:enabled")
    with alice.expect_navigation():
        alice.click("[data-start]")
    batch_id = alice.url.rsplit("/", 1)[1]
    wait_live(alice)
    alice.wait_for_selector("[data-count=SUCCEED]:text-is('4')", timeout=300000)
    assert alice.locator("[data-rows] [data-state]").all_inner_texts() == ["Ready"] * 4

    with alice.expect_download() as download:
        alice.click("[data-download-zip]")
    with zipfile.ZipFile(download.value.path()) as archive:
        assert archive.namelist() == [f"{k:04d} Hello {name}.mp4" for k, name in enumerate(names, start=1)]
        videos = [archive.read(name) for name in archive.namelist()]
    alice.context.close()

    text_columns = []
    for data in videos:
        with av.open(io.BytesIO(data)) as container:
            stream = container.streams.video[0]
            assert (stream.codec_context.width, stream.codec_context.height) == (320, 180)
            assert container.duration and container.duration > 0 and container.streams.audio
            frame = next(container.decode(video=0)).to_ndarray(format="rgb24")
        text_columns.append(dark_columns(frame))
    # The text layer shows each row's own name: every frame has letters there, and the longest name spreads
    # widest, the shortest narrowest (the same text in every video would draw the same columns).
    widths = {name: int(cols.max() - cols.min()) for name, cols in zip(names, text_columns, strict=True)
              if len(cols)}
    assert set(widths) == set(names), widths
    assert widths["Cy"] < widths["Ann"] < widths["Dominique"] < widths["Bartholomew"], widths
    assert len({tuple(cols) for cols in text_columns}) == 4

    # The subtitles of each row's video say its own name, and no other row's.
    shown = server.api("GET", f"/video-batches/{batch_id}").json()
    for row, name in zip(shown["rows"], names, strict=True):
        job = server.api("GET", f"/2d-digital-human-videos/{row['job_id']}").json()
        srt_url = job["output_asset_config"]["subtitle_srt_url"]
        srt = httpx.get(srt_url if srt_url.startswith("http") else server.base + srt_url,
                        headers={"X-Auth-Token": server.token}, timeout=30)
        assert srt.status_code == 200, srt.text
        assert f"Hi {name}." in srt.text and not [other for other in names if other != name and other in srt.text]
