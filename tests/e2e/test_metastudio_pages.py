"""In Chromium, a project that renders on MetaStudio (a second Composer server standing in): an editor picks an
avatar imported from the account and the canvas shows its stand-in (the cover, marked "Rendered by MetaStudio");
a video sent there shows the remote stage live on its page until it comes home."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from tests.support.browser import CHROMIUM, Server
from tests.support.editor_page import new_script, open_editor
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory, standin):
    from pathlib import Path

    from composer.api.presenters import EXAMPLE_CHOICES

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required for the browser tests (make test installs it)")
    server = Server(tmp_path_factory.mktemp("e2e-metastudio"))
    server.env.update({"COMPOSER_REMOTE_ALLOW_PRIVATE": "1", "COMPOSER_REMOTE_POLL_SECONDS": "1",
                       "COMPOSER_REMOTE_MAX_RETRIES": "0"})
    server.start()
    built = standin.api("POST", "/presenters", json={"name": "Remote Rita", "choices": EXAMPLE_CHOICES})
    assert built.status_code == 200, built.text
    target = {"kind": "metastudio", "endpoint": standin.base, "ak": standin.ak, "sk": standin.sk,
              "remote_project_id": standin.project_id}
    assert server.api("PUT", "/project-settings", json={"render_target": target}).status_code == 200
    synced = server.api("POST", "/remote-assets/sync")
    assert synced.status_code == 200 and synced.json()["covers"] == 1, synced.text
    yield server
    server.stop()


def rita(server) -> dict:
    listed = server.api("GET", "/digital-assets", params={"asset_type": "HUMAN_MODEL_2D", "limit": 100}).json()
    return next(a for a in listed["assets"] if a["asset_name"] == "Remote Rita")


def test_an_editor_picks_a_remote_avatar_and_sees_its_stand_in(server, page):
    avatar = rita(server)
    script_id = new_script(server, "Remote avatar")
    open_editor(server, page, script_id, "alice")
    page.click("[data-tab='settings']")
    card = page.locator(f".avatar-card[data-asset='{avatar['asset_id']}']")
    assert "Rendered by MetaStudio" in card.inner_text()
    card.click()
    page.wait_for_function(f"window.composerEditor.doc.model_asset_id === '{avatar['asset_id']}'")
    picture = page.locator(".ed-stage img.ed-picture[src*='/asset-images/" + avatar["asset_id"] + "']")
    picture.wait_for()
    page.wait_for_function("[...document.querySelectorAll('.ed-stage img')].every((i) => i.complete "
                           "&& i.naturalWidth > 0)")
    # What the canvas draws is the stand-in: the cover over a dark "Rendered by MetaStudio" band at its foot.
    drawn = Image.open(io.BytesIO(page.request.get(server.base + picture.get_attribute("src")).body()))
    pixels = np.asarray(drawn.convert("RGBA")).astype(int)
    band = pixels[-3, pixels.shape[1] // 2]
    assert band[3] == 255 and band[:3].max() < 60
    assert picture.bounding_box()["width"] > 50


def test_the_job_page_shows_the_remote_stage_live(server, page, standin):
    from tests.support.browser import sign_in
    from tests.support.jobs import small_body

    body = small_body()           # its presets as imported from the stand-in: a MetaStudio job names only those
    listed = server.api("GET", "/digital-assets", params={"include_presets": "false", "limit": 100}).json()
    remote = {a["remote_asset_id"]: a["asset_id"] for a in listed["assets"] if a.get("remote_asset_id")}
    body["model_asset_id"] = remote[body["model_asset_id"]]
    body["voice_config"]["voice_asset_id"] = remote[body["voice_config"]["voice_asset_id"]]
    created = server.api("POST", "/2d-digital-human-videos", json=body)
    assert created.status_code == 200, created.text
    job_id = created.json()["job_id"]
    sign_in(server, page, "demo")
    page.goto(f"{server.base}/p/{server.project_id}/videos/{job_id}")
    remote_step = page.locator("[data-stepper] li[data-stage='remote']")
    assert remote_step.inner_text().strip() == "On MetaStudio"
    page.wait_for_function("document.querySelector(\"[data-stepper] li[data-stage='remote']\")"
                           ".classList.contains('current')")
    sent = server.api("GET", f"/2d-digital-human-videos/{job_id}").json()
    assert sent["progress"]["stage"] == "remote"
    # The job is at stage remote from its creation; its sending is a task of the worker: wait until it arrived.
    remote_id = wait_for(lambda: next((j["job_id"] for j in standin.api(
        "GET", "/digital-human-videos", params={"limit": 100, "asset_name": job_id}).json()["jobs"]), None),
        timeout=60)
    standin.settle(remote_id, "SUCCEED")
    # No reload: the page follows the job over its websocket until the video is home.
    page.wait_for_function("document.querySelector('[data-state-badge]').textContent.trim() === 'Ready'",
                           timeout=90_000)
    assert remote_step.get_attribute("class").split().count("done") == 1
