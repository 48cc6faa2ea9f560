"""A template in the editor (Chromium): the canvas draws the samples, the Variables tab edits samples, renames a
variable with every reference, says beside a variable why the server refuses it, and removes it."""
from __future__ import annotations

import base64

import pytest

from tests.support.browser import sign_in
from tests.support.editor_page import head, layers, open_editor, saved
from tests.support.factories import template_composition

pytestmark = pytest.mark.e2e


def new_template(server) -> str:
    response = server.api("POST", "/digital-human-video-scripts",
                          json={"script_name": "Welcome", **template_composition()})
    assert response.status_code == 200, response.text
    return response.json()["script_id"]


def layer_text(script: dict) -> str:
    return base64.b64decode(layers(script)[0]["text_config"]["text_context"]).decode("utf-8")


def saved_head(page, server, script_id: str, revision: int) -> dict:
    saved(page, revision)
    return head(server, script_id)


def test_the_variables_tab_edits_the_template_and_the_canvas_shows_samples(server, page):
    script_id = new_template(server)
    open_editor(server, page, script_id)
    text = page.locator(".ed-stage .ed-text")
    assert text.inner_text() == "Acme"
    # The image slot draws its sample picture.
    assert page.locator(".ed-stage .ed-layer-image img").count() == 1

    page.click("[data-tab='variables']")
    cards = page.locator("[data-variable]")
    assert cards.evaluate_all("(nodes) => nodes.map((n) => n.dataset.variable)") == ["first_name", "company", "logo"]
    page.fill("[data-variable-sample='company']", "Globex")
    page.press("[data-variable-sample='company']", "Tab")
    page.wait_for_function("document.querySelector('.ed-stage .ed-text').innerText === 'Globex'")
    saved(page, 2)
    assert head(server, script_id)["template"]["variables"][1]["sample"] == "Globex"

    name = page.locator("[data-variable='company'] [data-field='template.variables[1].name']")
    name.fill("Firm Name")
    name.press("Tab")
    assert "lowercase letter" in page.locator("[data-variable='company'] .field-error").inner_text()
    name.fill("firm")
    name.press("Tab")
    script = saved_head(page, server, script_id, 3)
    assert layer_text(script) == "{{firm}}"
    assert "{{firm}}" in script["shoot_scripts"][0]["shoot_script"]["text_config"]["text"]

    # An audio slot, chosen as the music bed in Settings.
    page.select_option("select[aria-label='Kind of variable']", "audio")
    page.click("[data-add-variable]")
    page.click("[data-tab='settings']")
    page.select_option("select[name='background_music_config.music_asset_id']", "{{audio}}")
    script = saved_head(page, server, script_id, 4)
    assert script["background_music_config"]["music_asset_id"] == "{{audio}}"
    assert script["template"]["variables"][-1]["kind"] == "audio"
    assert len(script["template"]["variables"][-1]["allowed"]) == 1

    page.click("[data-tab='variables']")
    page.click("[data-add-variable]")
    page.wait_for_selector("[data-variable='variable'] [data-server-error]")
    assert "declared but used nowhere" in page.locator("[data-variable='variable'] [data-server-error]").inner_text()
    page.click("[data-remove-variable='variable']")
    page.click("[data-remove-variable='firm']")
    page.click("[data-remove-variable='audio']")
    script = saved_head(page, server, script_id, 5)
    assert [v["name"] for v in script["template"]["variables"]] == ["first_name", "logo"]
    assert script["background_music_config"]["music_asset_id"] == "music-calm-pads"
    assert layer_text(script) == "Globex"


CSP_LISTENER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => window.__violations.push(event.violatedDirective));
"""


def test_an_approver_sees_the_templates_rules_and_sample_rows_drawn(server, page):
    script_id = new_template(server)
    asked = server.api("POST", f"/digital-human-video-scripts/{script_id}/approval-requests", json={})
    assert asked.status_code == 200, asked.text
    sign_in(server, page)
    page.add_init_script(CSP_LISTENER)
    page.goto(f"{server.base}/p/{server.project_id}/approvals/{asked.json()['request_id']}")
    page.wait_for_load_state("load", timeout=120_000)
    rows = page.locator("[data-sample-row] img")
    assert rows.count() == 3
    page.wait_for_function("[...document.querySelectorAll('[data-sample-row] img')]"
                           ".every((img) => img.complete && img.naturalWidth > 0)", timeout=120_000)
    assert page.locator("[data-variables] tr[data-variable]").evaluate_all(
        "(rows) => rows.map((row) => row.dataset.variable)") == ["first_name", "company", "logo"]
    assert page.evaluate("window.__violations") == []
