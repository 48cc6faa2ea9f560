"""In Chromium: sign in, watch a job render live without reloading, download the result."""
from __future__ import annotations

import av
import httpx
import pytest

from tests.support.factories import create_body

pytestmark = pytest.mark.e2e


def small_body(name: str) -> dict:
    body = create_body(output_asset_config={"asset_name": name})
    body["video_config"].update({"clip_mode": "CROP", "width": 320, "height": 180, "dx": 1200, "dy": 100,
                                 "bitrate": 1000})
    body["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] = (
        "This video renders while the page is open, and the page follows every step.")
    return body


def test_a_wrong_password_is_explained(server, page):
    page.goto(f"{server.base}/login")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "nope")
    page.click("button[type=submit]")
    assert "didn't match" in page.locator(".form-error").inner_text()


def test_progress_shows_live_and_the_video_downloads(server, page, tmp_path):
    page.goto(f"{server.base}/login")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_selector(f"[data-project='{server.project_id}']")

    job_id = server.api("POST", "/2d-digital-human-videos", json=small_body("Live in the browser")).json()["job_id"]
    row = page.locator(f"[data-job='{job_id}']")
    row.wait_for(timeout=30000)           # appears without a reload, from the websocket
    # The row walks through the stages with frame counts and an estimate of the time left.
    page.wait_for_function(
        f"document.querySelector(\"[data-job='{job_id}'] [data-detail]\").textContent.includes('compose')",
        timeout=60000)
    seen = row.locator("[data-detail]").inner_text()
    assert "frames" in seen and "%" in seen
    assert row.locator(".badge").inner_text() == "Rendering"
    page.wait_for_function(f"document.querySelector(\"[data-job='{job_id}'] .badge\").textContent === 'Ready'",
                           timeout=120000)
    assert row.locator("[data-detail]").inner_text() == "100%"
    page.screenshot(path=str(tmp_path / "projects.png"))

    href = row.locator(".actions a").get_attribute("href")
    response = httpx.get(f"{server.base}{href}", timeout=30)
    assert response.status_code == 200
    video = tmp_path / "download.mp4"
    video.write_bytes(response.content)
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (320, 180)
        assert sum(1 for _ in container.decode(video=0)) > 25
