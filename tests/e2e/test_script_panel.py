"""In Chromium, on the real editor page: the Script panel (SSML toolbar, live check, counter, estimate, voice
audition) and the Settings panel, whose changes end up in the autosaved revision."""
from __future__ import annotations

import time

import pytest

from tests.support.browser import sign_in
from tests.support.factories import create_composition

pytestmark = pytest.mark.e2e

OPENING = "Hello everyone. Welcome to our spring launch, where we show three new features."


def new_script(server, name: str) -> str:
    body = create_composition(OPENING)
    response = server.api("POST", "/digital-human-video-scripts", json={"script_name": name, **body})
    assert response.status_code in (200, 201), response.text
    return response.json()["script_id"]


def saved(server, script_id: str, predicate, timeout: float = 15.0) -> dict:
    """The script's head once `predicate(head)` holds (autosave runs 1.5 s after the last change)."""
    deadline = time.monotonic() + timeout
    while True:
        head = server.api("GET", f"/digital-human-video-scripts/{script_id}").json()
        if predicate(head):
            return head
        if time.monotonic() > deadline:
            raise AssertionError(f"not saved in time; head is {head}")
        time.sleep(0.3)


def open_panel(server, page, script_id: str, tab: str) -> None:
    sign_in(server, page, "alice")
    page.goto(f"{server.base}/p/{server.project_id}/scripts/{script_id}")
    page.click(f"[data-tab='{tab}']")
    page.wait_for_selector(f"#{tab}-panel .panel-title")


def set_range(page, selector: str, value: int) -> None:
    page.eval_on_selector(selector, "(input, value) => { input.value = value; "
                                    "input.dispatchEvent(new Event('input', {bubbles: true})); }", value)


def scene_text(head: dict) -> str:
    return head["shoot_scripts"][0]["shoot_script"]["text_config"]["text"]


def test_the_toolbar_inserts_tags_and_the_check_explains_errors(server, page):
    script_id = new_script(server, "Toolbar")
    open_panel(server, page, script_id, "script")
    text = page.locator("#script-text")
    assert page.locator("[data-mode]").inner_text() == "Plain text"
    page.wait_for_function("document.querySelector('[data-counter]').textContent.includes('/ 10,000')")
    assert page.locator("[data-counter]").inner_text().startswith(f"{len(OPENING)} / 10,000")

    # A pause after the first sentence: the plain text becomes SSML with the tag at the caret.
    text.click()
    page.eval_on_selector("#script-text", "(t) => t.setSelectionRange(15, 15)")
    page.click("[data-tool='pause']")
    page.fill(".ssml-popover [name='time']", "20000")
    page.click(".ssml-popover button[type=submit]")
    assert "between 50 and 10000" in page.locator(".ssml-popover .field-error").inner_text()
    page.fill(".ssml-popover [name='time']", "700")
    page.click(".ssml-popover button[type=submit]")
    expected = f'<speak>Hello everyone.<break time="700ms"/>{OPENING[15:]}</speak>'
    assert text.input_value() == expected
    assert page.locator("[data-mode]").inner_text() == "SSML"

    # A gesture from the avatar's rig, and say-as around a selection.
    page.eval_on_selector("#script-text", "(t) => t.setSelectionRange(7, 7)")
    page.click("[data-tool='action']")
    assert "wave" in page.locator(".ssml-popover select[name='name']").inner_text()
    page.select_option(".ssml-popover select[name='name']", "wave")
    page.click(".ssml-popover button[type=submit]")
    assert text.input_value().startswith('<speak><insert-action name="wave"/>Hello')
    head = saved(server, script_id, lambda h: "insert-action" in scene_text(h))
    assert scene_text(head) == text.input_value()
    page.wait_for_function(f"document.querySelector('[data-counter]').textContent.startsWith('{len(OPENING)} /')")
    assert page.locator(".script-errors li").count() == 0
    page.set_viewport_size({"width": 1440, "height": 900})
    page.screenshot(path="/tmp/h2-script-panel.png")

    # Malformed SSML: the error names line and column, and that line is marked.
    text.fill('<speak>\nFirst line.\n  <breakk time="1s"/>\n</speak>')
    error = page.locator(".script-errors li").first
    error.wait_for()
    assert error.inner_text().startswith("Line 3, column 3:") and "<breakk> is not supported" in error.inner_text()
    assert page.locator(".ssml-line.is-error").inner_text().strip("\u200b").strip() == '<breakk time="1s"/>'
    page.screenshot(path="/tmp/h2-script-error.png")
    text.fill('<speak>\nFirst line.\n  <break time="1s"/>\n</speak>')
    page.wait_for_function("document.querySelectorAll('.script-errors li').length === 0")
    assert page.locator(".ssml-line.is-error").count() == 0


def test_counter_excludes_tags_and_speed_changes_the_estimate(server, page):
    script_id = new_script(server, "Counter")
    open_panel(server, page, script_id, "script")
    text = page.locator("#script-text")
    text.fill('<speak>Hello <break time="500ms"/><prosody rate="slow">world</prosody></speak>')
    page.wait_for_function("document.querySelector('[data-counter]').textContent.startsWith('11 / 10,000')")

    long_text = "Our launch is here. " * 30
    text.fill(long_text)
    page.wait_for_function(f"document.querySelector('[data-counter]').textContent.startsWith('{len(long_text):,}')")
    normal = page.locator("[data-estimate]").inner_text()
    assert "spoken at 1×" in normal
    set_range(page, "#voice-speed", 200)
    page.wait_for_function("document.querySelector('[data-estimate]').textContent.includes('at 2×')")
    fast = page.locator("[data-estimate]").inner_text()

    def seconds(label: str) -> int:
        minutes, secs = label.split()[1].split(":")
        return int(minutes) * 60 + int(secs)

    assert seconds(fast) < seconds(normal) * 0.75, (normal, fast)
    assert saved(server, script_id, lambda h: h["voice_config"]["speed"] == 200)

    # Over the limit: the counter turns to the error colour and the message names the rule.
    text.fill("x" * 10001)
    page.wait_for_selector("[data-counter].is-over")
    assert "10,000 characters excluding SSML tags" in page.locator(".script-errors").inner_text()


def test_pauses_count_toward_the_scenes_length_limit(server, page):
    script_id = new_script(server, "Pauses")
    open_panel(server, page, script_id, "script")
    text = page.locator("#script-text")
    page.wait_for_function("document.querySelector('[data-estimate]').textContent.includes('(at most 60:00 a scene)')")
    # 61 minutes of breaks and two words: few characters, far too long a scene.
    text.fill("<speak>Hello" + '<break time="10s"/>' * 366 + "world</speak>")
    page.wait_for_selector("[data-estimate].is-over")
    assert page.locator("[data-counter]").inner_text().startswith("10 / 10,000")
    assert page.locator("[data-estimate]").inner_text().startswith("≈ 61:")
    errors = page.locator(".script-errors").inner_text()
    assert "the scene would last about 1 h 1 min" in errors and "a scene may last at most 1 h" in errors
    text.fill("<speak>Hello" + '<break time="10s"/>' * 6 + "world</speak>")
    page.wait_for_function("!document.querySelector('[data-estimate]').classList.contains('is-over')")
    page.wait_for_function("document.querySelectorAll('.script-errors li').length === 0")


def test_audition_plays_a_sample_of_the_scene(server, page):
    script_id = new_script(server, "Audition")
    open_panel(server, page, script_id, "script")
    button = page.locator("[data-audition]")
    button.click()
    assert button.inner_text() == "Preparing sample…" or page.locator(".voice-audio").get_attribute("src")
    page.wait_for_function("(() => { const a = document.querySelector('.voice-audio');"
                           " return a.src.startsWith('blob:') && a.duration > 0; })()", timeout=30000)
    assert button.inner_text() == "▶ Audition" and button.is_enabled()
    duration = page.eval_on_selector(".voice-audio", "a => a.duration")
    assert 0.5 < duration < 4, duration   # "Hello everyone." at speed 100

    # An error from the server is shown beside the button.
    page.route("**/voice-samples", lambda route: route.fulfill(
        status=400, content_type="application/json",
        body='{"error_code": "MSS.00000001", "error_msg": "voice_asset_id: this voice could not speak the sample"}'))
    button.click()
    page.wait_for_selector(".voice-section .field-error:not([hidden])")
    assert "could not speak" in page.locator(".voice-section .field-error").inner_text()


def test_settings_changes_are_autosaved(server, page):
    script_id = new_script(server, "Settings")
    open_panel(server, page, script_id, "settings")
    bitrate = page.locator("[name='video_config.bitrate']")
    bitrate.fill("500")
    bitrate.press("Tab")
    error = page.locator(".field:has([name='video_config.bitrate']) .field-error")
    assert "between 1,000–8,000 kbit/s" in error.inner_text()
    bitrate.fill("3000")
    bitrate.press("Tab")
    assert error.is_hidden()

    page.check("[name='video_config.is_subtitle_enable']")
    size = page.locator("[name='video_config.subtitle_config.font_size']")
    size.fill("64")
    size.press("Tab")
    page.select_option("[name='background_music_config.music_asset_id']", "music-calm-pads")
    set_range(page, "[name='background_music_config.volume']", 40)
    page.select_option("[name='video_config.codec']", "VP8")
    page.click(".avatar-card[data-asset='avatar-maya']")

    head = saved(server, script_id, lambda h: (h.get("background_music_config") or {}).get("volume") == 40)
    video = head["video_config"]
    assert (video["bitrate"], video["codec"], video["is_subtitle_enable"]) == (3000, "VP8", True)
    assert video["subtitle_config"]["font_size"] == 64
    assert head["background_music_config"] == {"music_asset_id": "music-calm-pads", "volume": 40}
    assert head["model_asset_id"] == "avatar-maya"

    page.set_viewport_size({"width": 1440, "height": 900})
    page.screenshot(path="/tmp/h2-settings-panel.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/h2-settings-phone.png", full_page=True)
    page.click("[data-tab='script']")
    page.screenshot(path="/tmp/h2-script-phone.png", full_page=True)


def test_prosody_say_as_and_phoneme_wrap_the_selection_and_validate(server, page):
    script_id = new_script(server, "Wrapping tools")
    open_panel(server, page, script_id, "script")
    text = page.locator("#script-text")
    text.fill("Call 5551234 today for tomato soup.")

    def select(start: int, end: int) -> None:
        page.eval_on_selector("#script-text", f"(t) => {{ t.focus(); t.setSelectionRange({start}, {end}); }}")

    select(5, 12)                                                  # "5551234"
    page.click("[data-tool='say-as']")
    page.select_option(".ssml-popover [name='interpret-as']", "digits")
    page.click(".ssml-popover button[type=submit]")
    value = text.input_value()
    assert '<say-as interpret-as="digits">5551234</say-as>' in value

    start = value.index("tomato")
    select(start, start + len("tomato"))
    page.click("[data-tool='phoneme']")
    page.click(".ssml-popover button[type=submit]")               # no pronunciation yet: refused beside it
    assert page.locator(".ssml-popover .field-error").count() == 1
    page.fill(".ssml-popover [name='ph']", "təˈmɑːtoʊ")
    page.click(".ssml-popover button[type=submit]")
    value = text.input_value()
    assert '<phoneme alphabet="ipa" ph="təˈmɑːtoʊ">tomato</phoneme>' in value

    start = value.index("today")
    select(start, start + len("today"))
    page.click("[data-tool='prosody']")
    page.select_option(".ssml-popover [name='rate']", "slow")
    page.click(".ssml-popover button[type=submit]")
    value = text.input_value()
    assert '<prosody rate="slow">today</prosody>' in value and value.startswith("<speak>")
    # The server's check accepts all of it: no errors, and the autosaved revision holds the SSML.
    page.wait_for_function("document.querySelectorAll('.script-errors li').length === 0")
    head = saved(server, script_id, lambda h: "<prosody" in scene_text(h))
    assert scene_text(head) == value


def spoken_wav(seconds: float = 1.5) -> bytes:
    import io
    import math
    import struct
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(16000)
        file.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 220 * i / 16000)))
                                  for i in range(int(16000 * seconds))))
    return out.getvalue()


def test_a_scene_can_be_driven_by_a_recorded_audio_file(server, page):
    audio_id = server.upload("Voice-over", "AUDIO", "voice-over.wav", spoken_wav(), "audio/wav")
    script_id = new_script(server, "Recorded audio")
    open_panel(server, page, script_id, "script")
    page.locator("#script-panel .segment", has_text="Recorded audio").click()
    assert page.locator("#audio-asset").is_visible() and not page.locator("#script-text").is_visible()
    page.select_option("#audio-asset", audio_id)
    head = saved(server, script_id, lambda h: h["shoot_scripts"][0]["shoot_script"].get("script_type") == "AUDIO")
    assert head["shoot_scripts"][0]["shoot_script"]["audio_asset_id"] == audio_id


def test_a_presenter_brings_its_voice_unless_one_was_chosen_on_purpose(server, page):
    script_id = new_script(server, "Presenter voice")
    open_panel(server, page, script_id, "settings")
    page.click(".avatar-card[data-asset='avatar-grace']")
    head = saved(server, script_id, lambda h: h["model_asset_id"] == "avatar-grace")
    assert head["voice_config"]["voice_asset_id"] == "voice-en-us-slt"
    page.click(".avatar-card[data-asset='avatar-walter']")
    head = saved(server, script_id, lambda h: h["model_asset_id"] == "avatar-walter")
    assert head["voice_config"]["voice_asset_id"] == "voice-en-us-joe"

    page.click("[data-tab='script']")
    page.select_option("#voice-asset", "voice-ja-jp-kumo")
    saved(server, script_id, lambda h: h["voice_config"]["voice_asset_id"] == "voice-ja-jp-kumo")
    page.click("[data-tab='settings']")
    page.click(".avatar-card[data-asset='avatar-sofia']")
    head = saved(server, script_id, lambda h: h["model_asset_id"] == "avatar-sofia")
    assert head["voice_config"]["voice_asset_id"] == "voice-ja-jp-kumo"
