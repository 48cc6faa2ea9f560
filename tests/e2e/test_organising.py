"""Organising and sharing in Chromium: search scripts by their text (the query in the URL), filter videos by
date, tag a script and filter by it, use an uploaded audio file as the music, and share a finished video by a
link that opens without an account until it is revoked."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx

from tests.support.browser import ROOT, sign_in
from tests.support.factories import create_composition
from tests.support.media import wav_bytes

SHOTS = Path("/tmp/organising-shots")


def seed_finished_videos(server) -> dict[str, str]:
    """Two finished videos in the demo project, one made 40 days ago; returns {name: job_id}."""
    code = ("from composer.teams.models import Project; from django.contrib.auth import get_user_model; "
            "from tests.support.finished import finished_video, days_ago; "
            "p = Project.objects.get(name='demo'); u = get_user_model().objects.get(username='demo'); "
            "a = finished_video(p, u, 'Spring sale'); b = finished_video(p, u, 'Old winter promo', created=days_ago(40)); "
            "print(a.pk, b.pk)")
    out = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=server.env, check=True,
                         capture_output=True, text=True).stdout.split()
    return {"Spring sale": out[-2], "Old winter promo": out[-1]}


def search_ready(page) -> None:
    """live-search.js marks the results region with the search it shows once it listens to the form."""
    page.wait_for_selector("[data-results][data-query]", state="attached")


def test_search_tags_music_and_share(server, browser, page, tmp_path):
    SHOTS.mkdir(exist_ok=True)
    body = {"script_name": "Garden centre promo", **create_composition("Our sunflower seeds are back in stock.")}
    script_id = server.api("POST", "/digital-human-video-scripts", json=body).json()["script_id"]
    server.api("POST", "/digital-human-video-scripts", json={"script_name": "Unrelated", **create_composition("Hi.")})
    videos = seed_finished_videos(server)
    sign_in(server, page)
    assert page.locator("link[rel=icon][href$='favicon.svg']").count() == 1

    # Search by a word of the script text: results follow the typing, the query is in the URL.
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{server.base}/p/{server.project_id}/scripts")
    search_ready(page)
    page.fill("#script-search", "sunflower")
    page.wait_for_selector("[data-results][data-query='?q=sunflower']")
    assert page.url.endswith("/scripts?q=sunflower")
    rows = page.locator("tr[data-script]")
    assert rows.count() == 1 and "Garden centre promo" in rows.inner_text()
    assert rows.locator("[data-rename]").count() == 1      # rows a search brings in can be renamed too
    page.fill("#script-search", "zzzz-nothing")
    page.wait_for_selector("[data-no-match]")
    page.go_back()
    page.wait_for_selector("[data-results][data-query='?q=sunflower']")
    assert page.input_value("#script-search") == "sunflower"
    page.go_forward()
    page.wait_for_selector("[data-no-match]")
    page.click("[data-no-match] [data-clear-search]")
    page.wait_for_selector("[data-results][data-query='']")
    assert page.locator("tr[data-script]").count() >= 2 and page.input_value("#script-search") == ""

    # Tag a script, then filter by the tag.
    page.goto(f"{server.base}/p/{server.project_id}/scripts")
    search_ready(page)
    page.click(f"tr[data-script='{script_id}'] [data-tags]")
    page.fill("#tags-input", "x" * 40)
    page.click("[data-save-tags]")
    assert "at most 32 characters" in page.locator("dialog[data-dialog=tags] .field-error").inner_text()
    page.fill("#tags-input", "Spring sale, Garden")
    page.click("[data-save-tags]")
    page.wait_for_selector(f"tr[data-script='{script_id}'] .tag:text('Garden')")
    search_ready(page)
    page.select_option("#script-tag", "Garden")
    page.wait_for_selector("[data-results][data-query='?tag=Garden']")
    assert page.locator("tr[data-script]").count() == 1
    page.goto(f"{server.base}/p/{server.project_id}/scripts")
    page.wait_for_selector("tr[data-script]")
    page.screenshot(path=str(SHOTS / "scripts-1440.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("[...document.querySelectorAll('.table-wrap')].every(w => w.scrollWidth <= w.clientWidth)")
    page.set_viewport_size({"width": 1280, "height": 800})

    # Videos made in the last week: the old one drops out.
    page.goto(f"{server.base}/p/{server.project_id}/videos")
    page.wait_for_selector(f"[data-job='{videos['Old winter promo']}']")
    search_ready(page)
    week_ago = page.evaluate("new Date(Date.now() - 7 * 864e5).toISOString().slice(0, 10)")
    page.fill("#video-from", week_ago)
    page.dispatch_event("#video-from", "change")
    page.wait_for_selector(f"[data-results][data-query='?from={week_ago}']")
    assert page.locator(f"[data-job='{videos['Spring sale']}']").count() == 1
    assert page.locator(f"[data-job='{videos['Old winter promo']}']").count() == 0
    assert f"from={week_ago}" in page.url

    # An uploaded audio file becomes the background music in the editor, and is saved.
    wav = wav_bytes(tmp_path / "jingle.wav", 1.0)
    uploaded = httpx.post(f"{server.base}/v1/{server.project_id}/digital-assets/upload",
                          headers={"X-Auth-Token": server.token}, timeout=30,
                          data={"asset_name": "Shop jingle", "asset_type": "AUDIO"},
                          files={"file": ("jingle.wav", wav, "audio/wav")})
    assert uploaded.status_code == 200, uploaded.text
    audio_id = uploaded.json()["asset_id"]
    page.goto(f"{server.base}/p/{server.project_id}/scripts/{script_id}")
    page.wait_for_function("window.composerEditor && document.querySelector('.ed-sizer')?.dataset.zoom")
    page.click("[data-tab=settings]")
    select = page.locator("select[name='background_music_config.music_asset_id']")
    assert select.locator("optgroup[label='Your audio files'] option").first.inner_text() == "Shop jingle"
    select.select_option(audio_id)
    page.wait_for_function("(() => { const s = window.composerEditor.saveState; "
                           "return s.revision >= 2 && !s.dirty && !s.saving; })()", timeout=20000)
    saved = server.api("GET", f"/digital-human-video-scripts/{script_id}").json()
    assert saved["background_music_config"]["music_asset_id"] == audio_id

    # Share a finished video, open it without an account, then revoke it.
    job_id = videos["Spring sale"]
    page.goto(f"{server.base}/p/{server.project_id}/videos/{job_id}")
    page.wait_for_selector("[data-share]:not([hidden])[data-loaded]")
    page.click("[data-share-new]")
    page.fill("#share-label", "Client review")
    page.check("input[name=expires_in_days][value='1']")
    page.click("[data-share-create]")
    page.wait_for_selector("dialog[data-dialog=share][data-created]")
    url = page.get_attribute("dialog[data-dialog=share]", "data-created")
    page.screenshot(path=str(SHOTS / "share-dialog.png"))
    page.click("dialog[data-dialog=share] [data-close]")
    page.wait_for_selector("[data-share-list] [data-state=ACTIVE]:has-text('Client review')")

    guest = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        shared = guest.new_page()
        response = shared.goto(url)
        assert response.status == 200
        assert "noindex" in response.headers["x-robots-tag"]
        assert shared.locator("meta[name=robots][content*=noindex]").count() == 1
        assert shared.locator("h1").inner_text() == "Spring sale"
        assert shared.locator(".topbar, nav.project-nav, a[href*='/p/']").count() == 0
        links = {a.get_attribute("data-download"): a.get_attribute("href")
                 for a in shared.locator("[data-download]").all()}
        assert set(links) == {"file", "cover", "srt", "vtt"}
        shared.evaluate("document.querySelector('[data-shared-player]').muted = true;"
                        "document.querySelector('[data-shared-player]').play()")
        shared.wait_for_function("(() => { const v = document.querySelector('[data-shared-player]');"
                                 " return v.readyState >= 2 || v.currentTime > 0; })()", timeout=20000)
        shared.screenshot(path=str(SHOTS / "shared-player.png"))
        got = httpx.get(f"{server.base}{links['srt']}", timeout=30)
        assert got.status_code == 200
        assert 'filename="Spring sale.srt"' in got.headers["content-disposition"]

        page.click("[data-share-list] [data-state=ACTIVE] [data-revoke]")
        page.click("[data-confirm-revoke]")
        page.wait_for_selector("[data-share-list] [data-state=REVOKED]")
        response = shared.goto(url)
        assert response.status == 410
        assert shared.locator("[data-share-gone=revoked] h1").inner_text() == "This video is no longer available"
        shared.screenshot(path=str(SHOTS / "shared-revoked.png"))
        assert httpx.get(f"{server.base}{links['file']}", timeout=30).status_code == 404
    finally:
        guest.close()

    views = server.api("GET", "/audit-logs", params={"action": "job.share_view"}).json()
    entries = views.get("audit_logs") or views.get("entries") or views.get("logs") or []
    assert any(e["detail"].get("who") == "shared link Client review" for e in entries), views
    assert re.search(r"/s/[\w-]{20,}$", url)
