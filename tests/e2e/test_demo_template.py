"""A first batch on a fresh install (Chromium): the demo project's approved template is ready on the New batch page,
its "Download a sample CSV" link gives the template's columns and sample row, and that file, chosen as it is, is
accepted by the check and enables Start."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.support.browser import sign_in

pytestmark = pytest.mark.e2e


def test_the_demo_templates_sample_csv_downloads_and_passes_the_check(server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True).new_page()
    sign_in(server, page, "alice")
    page.goto(f"{server.base}/p/{server.project_id}/batches/new")
    chosen = page.locator("[name=script_id] option:checked").inner_text()
    assert chosen.startswith("Customer welcome (template)") and "not approved" not in chosen
    assert page.locator("[data-approval-note]").is_hidden()

    with page.expect_download() as download:
        page.click("[data-sample-csv]")
    saved = Path(download.value.path())
    assert download.value.suggested_filename.endswith("-sample.csv")
    assert list(csv.reader(io.StringIO(saved.read_text("utf-8")))) == [["first_name", "company"], ["Ann", "Acme"]]

    page.set_input_files("[name=file]", str(saved))
    page.wait_for_selector("[data-map-column='first_name'] select")
    page.click("[data-check]")
    page.wait_for_selector("[data-start]:enabled")
    assert page.locator("[data-results] tr").get_attribute("data-ok") == "yes"
    assert page.locator("[data-start-why]").inner_text() == "Ready: 1 video will render."
    page.context.close()
