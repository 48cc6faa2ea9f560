"""A batch's page: its rows link to their videos and follow the renders live; Cancel rest stops what is left."""
from __future__ import annotations

import io
import json
import zipfile

import av
import httpx

from tests.support.browser import sign_in, wait_live
from tests.support.factories import template_composition

CROP = {"clip_mode": "CROP", "width": 320, "height": 180, "dx": 1200, "dy": 100, "bitrate": 1000}


def approved_template(server, text: str) -> str:
    composition = template_composition(text=text)
    composition["video_config"].update(CROP)
    created = server.api("POST", "/digital-human-video-scripts", json={"script_name": "Welcome", **composition})
    assert created.status_code == 200, created.text
    script_id = created.json()["script_id"]
    asked = server.api("POST", f"/digital-human-video-scripts/{script_id}/approval-requests", json={})
    assert asked.status_code == 200, asked.text
    bob = json.loads(server.manage("authtoken", "--username", "bob"))["token"]
    approved = httpx.post(f"{server.base}/v1/{server.project_id}/digital-human-video-scripts/{script_id}/approve",
                          json={"comment": "Fine"}, headers={"X-Auth-Token": bob}, timeout=30)
    assert approved.status_code == 200, approved.text
    return script_id


def batch(server, script_id: str, names: list[str]) -> dict:
    rows = [{"first_name": name, "company": "Acme", "logo": "bg-warm-office-landscape"} for name in names]
    response = server.api("POST", "/video-batches", json={"script_id": script_id, "rows": rows})
    assert response.status_code == 200, response.text
    return response.json()


def test_the_batch_page_follows_its_rows_live_and_cancels_the_rest(server, page):
    sign_in(server, page)
    script_id = approved_template(server, "<speak>Hi {{first_name}}.</speak>")
    made = batch(server, script_id, ["Ann", "Bo"])
    page.goto(f"{server.base}/p/{server.project_id}/batches/{made['batch_id']}")
    wait_live(page)
    links = page.locator("[data-rows] .name a")
    assert links.all_inner_texts() == ["Welcome Ann", "Welcome Bo"]
    assert links.first.get_attribute("href") == f"/p/{server.project_id}/videos/{made['job_ids'][0]}"
    # Both renders finish while the page is open: the badges and the counts follow over the websocket.
    page.wait_for_selector("[data-count=SUCCEED]:text-is('2')", timeout=240000)
    assert page.locator("[data-rows] [data-state]").all_inner_texts() == ["Ready", "Ready"]
    assert page.locator("[data-cancel-rest]").is_disabled() and page.locator("[data-retry-failed]").is_disabled()
    # Download all: one ZIP with both videos, each a video PyAV decodes.
    archive = page.request.get(server.base + page.locator("[data-download-zip]").get_attribute("href"))
    assert archive.ok and archive.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.body())) as videos:
        assert videos.namelist() == ["0001 Welcome Ann.mp4", "0002 Welcome Bo.mp4"]
        for name in videos.namelist():
            with av.open(io.BytesIO(videos.read(name))) as container:
                assert sum(1 for _ in container.decode(video=0)) > 0

    # A longer batch, canceled while its first rows render and the rest wait their turn.
    long_script = approved_template(server, "<speak>Hello {{first_name}}, and welcome to {{company}}. We are glad "
                                            "you are here, and we hope you enjoy every part of it.</speak>")
    longer = batch(server, long_script, ["Cy", "Di", "Ed", "Flo"])
    page.goto(f"{server.base}/p/{server.project_id}/batches/{longer['batch_id']}")
    with page.expect_navigation():   # the page is read again once the API answered
        page.click("[data-cancel-rest]")
    page.wait_for_selector("[data-cancel-rest]:disabled")
    states = page.locator("[data-rows] [data-state]").all_inner_texts()
    assert "Canceled" in states and not {"Waiting", "Rendering"} & set(states)
    shown = server.api("GET", f"/video-batches/{longer['batch_id']}").json()
    assert shown["counts"]["WAITING"] == shown["counts"]["PROCESSING"] == 0 and shown["counts"]["CANCELED"] >= 2
