"""In Chromium: upload to the asset library, filter it, issue and revoke API keys, change a member's role."""
from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from tests.support.browser import sign_in

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("TEAM_SCREENSHOTS")  # a folder to keep desktop and phone screenshots in


def noisy_png(size=(900, 600)) -> bytes:
    # Random pixels do not compress, so the upload is large enough to report progress.
    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, "PNG")
    return out.getvalue()


def shoot(page, name: str) -> None:
    if not SHOTS:
        return
    page.screenshot(path=f"{SHOTS}/{name}-desktop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}/{name}-phone.png", full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_an_uploaded_image_appears_with_its_thumbnail(server, page):
    sign_in(server, page, "alice")
    page.goto(f"{server.base}/p/{server.project_id}/assets")
    page.wait_for_selector("[data-asset]")
    page.set_input_files("[data-upload-input]", files=[
        {"name": "Team photo.png", "mimeType": "image/png", "buffer": noisy_png()}])
    row = page.locator("[data-upload='Team photo.png']")
    page.wait_for_function("document.querySelector(\"[data-upload='Team photo.png']\").classList.contains('is-done')",
                           timeout=30000)
    bar = row.locator("[role=progressbar]")
    assert bar.get_attribute("aria-valuenow") == "100"
    assert row.locator(".bar span").evaluate("node => node.style.width") == "100%"
    card = page.locator(".asset-card", has_text="Team photo")
    assert card.count() == 1
    thumb = card.locator(".asset-thumb img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle(), timeout=10000)
    assert "Image" in card.inner_text()

    # The detail dialog shows the picture and saves new tags through the API.
    card.click()
    dialog = page.locator("dialog[data-dialog=asset]")
    assert dialog.locator("[data-player] img").count() == 1
    dialog.locator("[name=tags]").fill("team, 2026")
    dialog.locator("[data-save-asset]").click()
    dialog.wait_for(state="hidden")
    asset_id = card.get_attribute("data-asset")
    assert server.api("GET", f"/digital-assets/{asset_id}").json()["tags"] == ["team", "2026"]
    shoot(page, "assets")


def test_a_file_with_a_fake_extension_is_refused_beside_it(server, page):
    sign_in(server, page, "alice")
    page.goto(f"{server.base}/p/{server.project_id}/assets")
    page.wait_for_selector("[data-asset]")
    page.set_input_files("[data-upload-input]", files=[
        {"name": "not-really.png", "mimeType": "image/png", "buffer": b"just some text, not a picture\n" * 20}])
    error = page.locator("[data-upload='not-really.png'] .field-error")
    error.wait_for(timeout=30000)
    assert "not a recognised format" in error.inner_text()  # the server's reason, shown beside the file
    assert page.locator("[data-upload='not-really.png']").get_attribute("class").count("is-failed") == 1
    assert page.locator(".asset-card", has_text="not-really").count() == 0
    names = [a["asset_name"] for a in server.api("GET", "/digital-assets?include_presets=false&limit=100")
             .json()["assets"]]
    assert "not-really" not in names


def test_type_chips_filter_the_library(server, page):
    sign_in(server, page, "alice")
    page.goto(f"{server.base}/p/{server.project_id}/assets")
    page.wait_for_selector("[data-asset]")
    page.click("[data-chips] [data-type=HUMAN_MODEL_2D]")
    page.wait_for_function("[...document.querySelectorAll('[data-asset]')].length > 0 && "
                           "[...document.querySelectorAll('[data-asset]')].every(c => c.dataset.type === 'HUMAN_MODEL_2D')")
    avatars = page.locator("[data-asset]")
    assert avatars.first.locator(".badge-builtin").count() == 1
    page.click("[data-chips] [data-type=FONT]")
    page.wait_for_function("[...document.querySelectorAll('[data-asset]')].every(c => c.dataset.type === 'FONT')")
    assert page.locator("[data-chips] [data-type=FONT]").get_attribute("aria-pressed") == "true"
    expected = server.api("GET", "/digital-assets?asset_type=FONT").json()["count"]
    assert page.locator("[data-asset]").count() == min(expected, 24)


def test_an_access_key_secret_is_shown_once_then_revoked(server, page):
    sign_in(server, page, "alice")
    page.goto(f"{server.base}/p/{server.project_id}/keys")
    page.fill("#ak-description", "Nightly export")
    page.click("form[data-create=access-keys] [type=submit]")
    dialog = page.locator("dialog[data-dialog=secret]")
    dialog.wait_for()
    secret = dialog.locator("[data-secret='Secret key (SK)']").inner_text()
    ak = dialog.locator("[data-secret='Access key (AK)']").inner_text()
    assert len(secret) > 30 and ak
    shoot(page, "keys-secret")
    dialog.locator("[data-close]").click()
    row = page.locator(f"[data-list=access-keys] tr[data-row='{ak}']")
    row.wait_for()
    assert "Nightly export" in row.inner_text()
    assert ak in page.locator("[data-snippet]").inner_text()
    assert server.project_id in page.locator("[data-snippet]").inner_text()

    page.reload()
    page.wait_for_selector(f"tr[data-row='{ak}']")
    assert secret not in page.content()
    shoot(page, "keys")

    page.click(f"tr[data-row='{ak}'] [data-revoke]")
    page.click("dialog[data-dialog=revoke] [data-confirm-revoke]")
    page.wait_for_selector(f"tr[data-row='{ak}']", state="detached")
    page.reload()
    page.wait_for_selector("[data-list=access-keys] td")
    assert page.locator(f"tr[data-row='{ak}']").count() == 0


def test_an_owner_changes_a_role_and_the_list_shows_it(server, page):
    sign_in(server, page, "demo")
    page.goto(f"{server.base}/p/{server.project_id}/members")
    select = page.locator("[data-role-select=alice]")
    assert select.input_value() == "editor"
    select.select_option("approver")
    page.wait_for_selector(".toast-success")
    page.reload()
    assert page.locator("[data-role-select=alice]").input_value() == "approver"
    assert server.api("GET", "/members/alice").json()["role"] == "approver"
    shoot(page, "members")

    # The only owner cannot step down: the API's reason is shown and the role stays.
    page.locator("[data-role-select=demo]").select_option("editor")
    assert "only owner" in page.locator(".toast-error").inner_text()
    # The list is read again from the server after the refusal.
    page.wait_for_function("document.querySelector('[data-role-select=demo]').value === 'owner'")
    page.locator("[data-role-select=alice]").select_option("editor")
    page.wait_for_function("document.querySelectorAll('.toast-success').length > 0")

    page.goto(f"{server.base}/p/{server.project_id}/audit")
    assert page.locator("tr[data-action='member.change']").count() >= 2
    shoot(page, "audit")


def test_an_owner_creates_an_account_after_a_refused_password(server, page):
    sign_in(server, page, "demo")
    page.goto(f"{server.base}/p/{server.project_id}/members")
    page.click("[data-invite]")
    dialog = page.locator("dialog[data-dialog=invite]")
    dialog.locator("[data-mode=create]").click()
    dialog.locator("[name=username]").fill("carol")
    dialog.locator("[name=email]").fill("carol@example.com")
    dialog.locator("[name=password]").fill("short")
    dialog.locator("[name=role]").select_option("viewer")
    dialog.locator("[data-submit]").click()
    error = dialog.locator("[name=password] + .field-error")
    error.wait_for()
    assert "too short" in error.inner_text() and "8 characters" in error.inner_text()
    dialog.locator("[name=password]").fill("a-much-longer-passphrase")
    dialog.locator("[data-submit]").click()
    page.wait_for_selector("tr[data-member=carol]")
    assert page.locator("[data-role-select=carol]").input_value() == "viewer"

    # Review words: added as chips, saved through the API, cleaned by the server.
    page.fill("#new-word", "Competitor")
    page.keyboard.press("Enter")
    page.fill("#new-word", "competitor")
    page.click("[data-add-word]")
    assert page.locator(".word-chip").count() == 1
    page.click("[data-words-form] [type=submit]")
    page.wait_for_selector(".toast-success >> text=Review words saved")
    assert server.api("GET", "/review-words").json()["review_words"] == ["Competitor"]


def test_a_token_is_shown_once(server, page):
    sign_in(server, page, "bob")
    page.goto(f"{server.base}/p/{server.project_id}/keys")
    page.fill("#token-description", "Reporting")
    page.click("form[data-create=auth-tokens] [type=submit]")
    secret = page.locator("dialog[data-dialog=secret] [data-secret='Token (X-Auth-Token)']")
    secret.wait_for()
    token = secret.inner_text()
    assert token.startswith("cmp_")
    page.click("dialog[data-dialog=secret] [data-close]")
    page.wait_for_selector("[data-list=auth-tokens] td >> text=Reporting")
    page.reload()
    page.wait_for_selector("[data-list=auth-tokens] td >> text=Reporting")
    assert token not in page.content()


def test_a_voice_plays_a_sample_and_an_upload_is_deleted(server, page):
    sign_in(server, page, "alice")
    page.goto(f"{server.base}/p/{server.project_id}/assets")
    page.click("[data-chips] [data-type=VOICE_MODEL]")
    page.wait_for_function("[...document.querySelectorAll('[data-asset]')].length > 0 && "
                           "[...document.querySelectorAll('[data-asset]')].every(c => c.dataset.type === 'VOICE_MODEL')")
    page.locator("[data-asset]").first.click()
    page.click("[data-voice-sample]")
    page.wait_for_selector("dialog[data-dialog=asset] .voice-sample audio", timeout=60000)
    dialog = page.locator("dialog[data-dialog=asset]")
    assert dialog.locator("[data-delete-asset]").is_hidden()  # presets cannot be deleted
    dialog.locator("[data-close]").click()

    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), (200, 40, 40)).save(buffer, "PNG")
    asset_id = server.api("POST", "/digital-assets/upload?asset_type=IMAGE", data={"asset_type": "IMAGE",
                          "asset_name": "To be deleted"}, files={"file": ("x.png", buffer.getvalue(), "image/png")}
                          ).json()["asset_id"]
    page.click("[data-chips] [data-type=IMAGE]")
    card = page.locator(f".asset-card[data-asset='{asset_id}']")
    card.click()
    page.click("dialog[data-dialog=asset] [data-delete-asset]")
    page.click("dialog[data-dialog=delete] [data-confirm-delete]")
    card.wait_for(state="detached")
    assert server.api("GET", f"/digital-assets/{asset_id}").json()["asset_state"] == "DELETED"


def test_load_more_pages_through_the_library(server, page):
    total = server.api("GET", "/digital-assets?limit=1").json()["count"]
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (20, 160, 90)).save(buffer, "PNG")
    for index in range(max(0, 26 - total)):
        server.api("POST", "/digital-assets/upload?asset_type=IMAGE", data={"asset_type": "IMAGE",
                   "asset_name": f"Swatch {index}"}, files={"file": ("s.png", buffer.getvalue(), "image/png")})
    total = server.api("GET", "/digital-assets?limit=1").json()["count"]
    sign_in(server, page, "bob")
    page.goto(f"{server.base}/p/{server.project_id}/assets")
    page.wait_for_selector("[data-asset]")
    assert page.locator("[data-asset]").count() == 24
    page.click("[data-load-more]")
    page.wait_for_function(f"document.querySelectorAll('[data-asset]').length === {total}")
    assert page.locator("[data-load-more]").is_hidden()
    assert page.locator("[data-dropzone]").count() == 1  # approvers may upload (asset.create)


def test_an_upload_finishing_before_the_list_shows_one_card(server, page):
    """The first page of the library is held back until a file uploaded meanwhile is in; it still gets one card."""
    held = []
    sign_in(server, page, "alice")
    page.route("**/digital-assets?*", lambda route: held.append(route))
    page.goto(f"{server.base}/p/{server.project_id}/assets")
    page.set_input_files("[data-upload-input]", files=[
        {"name": "Early bird.png", "mimeType": "image/png", "buffer": noisy_png()}])
    page.wait_for_function("document.querySelector(\"[data-upload='Early bird.png']\")?.classList.contains('is-done')",
                           timeout=30000)
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_selector(".asset-card:has-text('Maya')")                 # the held page has arrived
    assert page.locator(".asset-card", has_text="Early bird").count() == 1


def test_an_owner_sends_the_projects_renders_to_metastudio(server, page):
    sign_in(server, page, "demo")
    page.goto(f"{server.base}/p/{server.project_id}/members")
    form = page.locator("[data-target-form]")
    assert form.locator("[name=kind]").input_value() == "local"
    assert form.locator("[data-remote-fields]").is_hidden()
    form.locator("[name=kind]").select_option("metastudio")
    form.locator("[name=region]").select_option("cn-north-4")
    assert form.locator("[name=endpoint]").is_hidden()
    form.locator("[name=remote_project_id]").fill("0a1b2c3d")
    form.locator("[name=ak]").fill("AK WITH SPACE")
    form.locator("[name=sk]").fill("a-secret-key")
    form.locator("[type=submit]").click()
    # The API's refusal is shown beside the field it names.
    error = form.locator("[name=ak] + .field-error")
    error.wait_for()
    assert "1 to 128 letters" in error.inner_text()

    form.locator("[name=ak]").fill("AKGOOD123")
    form.locator("[type=submit]").click()
    page.wait_for_selector(".toast-success")
    assert form.locator("[name=sk]").input_value() == ""
    assert form.locator("[name=sk]").get_attribute("placeholder") == "Stored: leave empty to keep it"
    assert form.locator("[data-connection]").inner_text() == "Connection not tested yet."
    assert form.locator("[data-test-connection]").is_visible() and form.locator("[data-sync-assets]").is_visible()
    target = server.api("GET", "/project-settings").json()["render_target"]
    assert target["kind"] == "metastudio" and target["sk_set"] and target["ak"] == "AKGOOD123"
    shoot(page, "render-target")

    page.reload()
    assert form.locator("[name=kind]").input_value() == "metastudio"
    assert form.locator("[name=region]").input_value() == "cn-north-4"
    form.locator("[name=kind]").select_option("local")
    form.locator("[type=submit]").click()
    page.wait_for_function("[...document.querySelectorAll('.toast-success')].some("
                           "t => t.textContent === 'Videos now render here')")
    assert server.api("GET", "/project-settings").json()["render_target"] == {"kind": "local"}
