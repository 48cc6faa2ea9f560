"""Layer timing on the editor's timeline and "Play scene" in Chromium: a dragged bar end is saved as the layer's
timing; the scene plays with sound (the media element's clock runs, unmuted) soon after the click."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.editor_page import (
    head,
    image_layer,
    layers,
    new_script,
    open_editor,
    saved,
)

pytestmark = pytest.mark.e2e

# About 15 seconds of speech at the default speed.
FIFTEEN_SECONDS = ("Welcome to our spring launch. This short video shows how the new planner keeps your whole team "
                   "on the same page. Drag a task, share a board, and see every change appear at once. Try it free "
                   "for thirty days, and tell us what you think. We read every single message, every week.")


def shot(server, name: str) -> str:
    """Where a screenshot goes: COMPOSER_SHOTS (to look at them) or the server's temporary folder."""
    folder = Path(os.environ.get("COMPOSER_SHOTS") or server.log.parent)
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / name)


def set_script_text(server, script_id: str, text: str) -> None:
    script = head(server, script_id)
    scenes = script["shoot_scripts"]
    scenes[0]["shoot_script"]["text_config"]["text"] = text
    response = server.api("PUT", f"/digital-human-video-scripts/{script_id}",
                          json={"shoot_scripts": scenes, "base_revision": script["revision"]})
    assert response.status_code == 200, response.text


def bar_box(page, key: str) -> dict:
    return page.locator(f'[data-timeline-bar="{key}"]').bounding_box()


def test_dragging_a_timeline_bar_end_saves_the_layers_timing(server, page, red_asset):  # noqa: F811
    script_id = new_script(server, "Timed logo", layers=[image_layer(red_asset)])
    set_script_text(server, script_id, FIFTEEN_SECONDS)
    open_editor(server, page, script_id)
    # The timeline spans the server's estimate of the spoken length (the script panel's).
    page.wait_for_function("document.querySelector('[data-timeline-length]')?.dataset.source === 'estimate'")
    length = page.evaluate("parseFloat(document.querySelector('[data-timeline-length]').textContent.replace('≈', ''))")
    assert 10 < length < 25, length
    bar = bar_box(page, "L0")
    track = page.locator('[data-timeline-row="L0"] .tl-track').bounding_box()
    assert abs(bar["x"] - track["x"]) < 2 and abs(bar["width"] - track["width"]) < 2, "untimed: the whole scene"

    # Drag the end handle to about 60% of the scene, then the start handle to about 20%.
    end_handle = page.locator('[data-timeline-bar="L0"] [data-tl-handle="end"]').bounding_box()
    page.mouse.move(end_handle["x"] + end_handle["width"] / 2, end_handle["y"] + end_handle["height"] / 2)
    page.mouse.down()
    target = track["x"] + track["width"] * 0.6
    for step in (0.3, 0.6, 1):
        page.mouse.move(end_handle["x"] + (target - end_handle["x"]) * step, end_handle["y"] + 5)
    page.mouse.up()
    start_handle = page.locator('[data-timeline-bar="L0"] [data-tl-handle="start"]').bounding_box()
    page.mouse.move(start_handle["x"] + 2, start_handle["y"] + 5)
    page.mouse.down()
    page.mouse.move(track["x"] + track["width"] * 0.2, start_handle["y"] + 5)
    page.mouse.up()
    saved(page, 3)

    timing = layers(head(server, script_id))[0]["timing"]
    assert abs(timing["end"] - 0.6 * length) < 0.6 and abs(timing["start"] - 0.2 * length) < 0.6, timing
    # The layer's properties show the same window, and a fade typed there is saved too.
    page.wait_for_function(f"parseFloat(document.querySelector('[name=\"timing.end\"]')?.value) === {timing['end']}")
    page.fill('[name="timing.fade_in"]', "0.5")
    page.press('[name="timing.fade_in"]', "Tab")
    saved(page, 4)
    assert layers(head(server, script_id))[0]["timing"]["fade_in"] == 0.5
    page.locator(".ed-center").screenshot(path=shot(server, "timeline.png"))
    page.locator("#layer-props").screenshot(path=shot(server, "timing-fields.png"))

    # A fade that does not fit is refused, said beside its field, and not saved.
    page.fill('[name="timing.fade_out"]', "20")
    page.press('[name="timing.fade_out"]', "Tab")
    page.wait_for_function("window.composerEditor.refusal?.field?.endsWith('timing.fade_out')")
    assert "must fit inside" in page.locator("[data-refusal]").inner_text()


def test_play_scene_plays_it_with_sound(server, page):
    script_id = new_script(server, "Play me")
    set_script_text(server, script_id, FIFTEEN_SECONDS)
    open_editor(server, page, script_id)
    play = page.locator("[data-play-scene]")
    page.wait_for_function("!document.querySelector('[data-play-scene]').disabled")

    def play_and_measure(loading_shot: str | None = None) -> float:
        play.click()
        if loading_shot:
            page.wait_for_function("document.querySelector('[data-scene-player]').dataset.state === 'loading'")
            page.locator("[data-scene-player]").screenshot(path=shot(server, loading_shot))
        # A click starts from a cleared player (no source, no time to play yet): wait for this play's signals.
        page.wait_for_function("""() => { const v = document.querySelector('[data-player-video]');
                                          const player = document.querySelector('[data-scene-player]');
                                          return player.dataset.secondsToPlay && v.currentTime > 0.5 && !v.muted
                                                 && v.volume > 0 && !v.paused; }""", timeout=60000)
        print(f"\nrendered on the server in {page.get_attribute('[data-scene-player]', 'data-render-seconds')} s")
        return float(page.get_attribute("[data-scene-player]", "data-seconds-to-play"))

    first = play_and_measure("player-loading.png")
    duration = page.evaluate("document.querySelector('[data-player-video]').duration")
    assert 12 < duration < 20, duration
    assert page.evaluate("document.querySelector('[data-player-video]').mozHasAudio ?? "
                         "document.querySelector('[data-player-video]').webkitAudioDecodedByteCount > 0")
    page.locator("[data-scene-player]").screenshot(path=shot(server, "player.png"))
    assert page.locator("[data-playhead]").is_visible(), "the timeline's playhead follows the player"
    page.click("[data-player-close]")

    # The same scene again comes from the cache; an edited scene renders again on the now warm engine.
    cached = play_and_measure()
    page.click("[data-player-close]")
    page.evaluate("""() => window.composerEditor.apply('Edit text', (d) => {
        d.shoot_scripts[0].shoot_script.text_config.text += ' See you soon.'; })""")
    edited = play_and_measure()
    print(f"\ntime to play a {duration:.1f} s scene: first {first:.2f} s (cold server), "
          f"cached {cached:.2f} s, edited {edited:.2f} s")


def test_a_scene_that_cannot_play_says_why(server, page):
    script_id = new_script(server, "Broken")
    open_editor(server, page, script_id)
    page.evaluate("""() => window.composerEditor.apply('Break', (d) => {
        d.shoot_scripts[0].shoot_script.text_config.text = '<speak><break time="x"/></speak>'; })""")
    page.click("[data-play-scene]")
    page.wait_for_function("document.querySelector('[data-scene-player]').dataset.state === 'error'")
    page.locator("[data-scene-player]").screenshot(path=shot(server, "player-error.png"))
    said = page.locator("[data-player-status]").inner_text()
    assert said.startswith("This scene could not be played. Scene 1") and "SSML" in said, said
