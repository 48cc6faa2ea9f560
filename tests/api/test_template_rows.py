"""Templates through the API: a script round-trips its template, and rows (JSON, pasted CSV, CSV files in Excel's
encodings, XLSX) are checked before anything renders, each refused row with its reasons."""
from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from composer.jobs.models import VideoJob
from tests.support.factories import template_composition
from tests.support.script_api import url

pytestmark = pytest.mark.django_db

BLUE, WARM = "bg-studio-blue-landscape", "bg-warm-office-landscape"


@pytest.fixture
def template_id(alice_client, project) -> str:
    response = alice_client.post(url(project), {"script_name": "Welcome", **template_composition()}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["script_id"]


def check(client, project, script_id, **body):
    return client.post(url(project, f"/{script_id}/rows/check"), body, format="json")


def upload(client, project, script_id, data: bytes, name: str = "rows.csv", mapping: str | None = None):
    form = {"file": SimpleUploadedFile(name, data)}
    if mapping is not None:
        form["mapping"] = mapping
    return client.post(url(project, f"/{script_id}/rows/check"), form, format="multipart")


def verdicts(response) -> list:
    assert response.status_code == 200, response.content
    return [(row["ok"], [(r["column"], r["rule"]) for r in row["reasons"]]) for row in response.json()["rows"]]


def test_a_script_keeps_its_template(alice_client, project, template_id):
    template = alice_client.get(url(project, f"/{template_id}")).json()["template"]
    assert [v["name"] for v in template["variables"]] == ["first_name", "company", "logo"]
    assert template["output_name"] == "Welcome {{first_name}}"
    removed = alice_client.put(url(project, f"/{template_id}"), {"template": None, "shoot_scripts": template_composition(
        text="Hello.", layer_text="Hi", logo=None)["shoot_scripts"]}, format="json")
    assert removed.status_code == 200, removed.content
    assert "template" not in alice_client.get(url(project, f"/{template_id}/revisions/2")).json()["composition"]


def test_a_broken_template_is_refused_naming_the_field(alice_client, project):
    body = template_composition()
    body["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] = "Hi {{nobody}} {{first_name}} {{company}}"
    response = alice_client.post(url(project), {"script_name": "Broken", **body}, format="json")
    assert response.status_code == 400
    assert response.json()["error_msg"] == \
        "shoot_scripts[0].shoot_script.text_config.text: {{nobody}} is not declared in template.variables"


def test_json_rows_are_checked_with_a_reason_each(alice_client, project, template_id):
    project.review_words = ["darn"]
    project.save()
    response = check(alice_client, project, template_id, rows=[
        {"first_name": "Ann", "company": "Acme", "logo": WARM},
        {"first_name": "", "company": "x" * 31, "logo": "bg-night-gradient-landscape"},
        {"first_name": "Darn", "company": "Acme", "logo": BLUE},
    ])
    assert verdicts(response) == [(True, []), (False, [("first_name", "missing"), ("company", "too_long"),
                                                      ("logo", "not_allowed")]),
                                  (False, [("first_name", "review")])]
    body = response.json()
    assert (body["count"], body["accepted"], body["refused"]) == (3, 1, 2)
    assert body["rows"][0]["output_name"] == "Welcome Ann"
    assert "not one of the 2 approved image assets" in body["rows"][1]["reasons"][2]["message"]


def test_columns_map_to_variables_by_name_or_by_mapping(alice_client, project, template_id):
    text = "First Name,Firm,logo\nAnn,Acme,bg-warm-office-landscape\n"
    response = check(alice_client, project, template_id, csv=text, mapping={"Firm": "company"})
    assert response.json()["mapping"] == {"First Name": "first_name", "Firm": "company", "logo": "logo"}
    assert verdicts(response) == [(True, [])]
    missing = check(alice_client, project, template_id, csv=text)
    assert missing.status_code == 400
    assert missing.json()["error_msg"].startswith("mapping: no column for {{company}}")
    wrong = check(alice_client, project, template_id, csv=text, mapping={"Firm": "offer"})
    assert wrong.json()["error_msg"].startswith("mapping.Firm: 'offer' is not a variable of this template")



def test_the_columns_of_rows_are_read_before_mapping(alice_client, project, template_id):
    text = "First Name,Firm,logo\nAnn,Acme,bg-warm-office-landscape\nBo,Beta,bg-warm-office-landscape\n"
    read = alice_client.post(url(project, f"/{template_id}/rows/columns"), {"csv": text}, format="json")
    assert read.status_code == 200, read.content
    body = read.json()
    # The columns as found, the template's variables, and only the mapping the names make (no column for company).
    assert body["columns"] == ["First Name", "Firm", "logo"] and body["count"] == 2
    assert [v["name"] for v in body["variables"]] == ["first_name", "company", "logo"]
    assert body["mapping"] == {"First Name": "first_name", "logo": "logo"}
    xlsx = io.BytesIO()
    book = Workbook()
    book.active.append(["first_name", "Company"])
    book.active.append(["Ann", "Acme"])
    book.save(xlsx)
    uploaded = alice_client.post(url(project, f"/{template_id}/rows/columns"),
                                 {"file": SimpleUploadedFile("rows.xlsx", xlsx.getvalue())}, format="multipart")
    assert uploaded.json()["mapping"] == {"first_name": "first_name", "Company": "company"}
    bad = alice_client.post(url(project, f"/{template_id}/rows/columns"),
                            {"file": SimpleUploadedFile("rows.csv", b"\xff\xfe\x00")}, format="multipart")
    assert bad.status_code == 400 and bad.json()["error_msg"].startswith("file: ")


CSV_ROWS = [["first_name", "company", "logo"], ["Zoë", "Café, \"Ltd\"", BLUE], ["Jürgen", "Line\nbreak", WARM]]


def csv_text(delimiter: str = ",") -> str:
    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if any(c in value for c in f'{delimiter}"\n') else value
    return "\r\n".join(delimiter.join(cell(v) for v in row) for row in CSV_ROWS) + "\r\n"


@pytest.mark.parametrize("data", [
    csv_text().encode("utf-8-sig"),
    csv_text().encode("utf-8"),
    csv_text().encode("cp1252"),
    csv_text("\t").encode("utf-16"),
    csv_text(";").encode("utf-8-sig"),
], ids=["utf-8-bom", "utf-8", "cp1252", "utf-16-tabs", "semicolons"])
def test_csv_files_in_excels_encodings_are_read(alice_client, project, template_id, data):
    response = upload(alice_client, project, template_id, data)
    assert verdicts(response) == [(True, []), (True, [])]
    rows = response.json()["rows"]
    assert [row["values"]["company"] for row in rows] == ['Café, "Ltd"', "Line\nbreak"]
    assert [row["row"] for row in rows] == [2, 3]
    assert rows[0]["output_name"] == "Welcome Zoë"


def test_an_xlsx_workbook_is_read_with_a_mapping(alice_client, project, template_id):
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "company", "logo"])
    sheet.append(["Ann", "Acme", WARM])
    sheet.append([None, None, None])
    sheet.append([12, "Initech", "nope"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(alice_client, project, template_id, buffer.getvalue(), "rows.xlsx", '{"Name": "first_name"}')
    assert verdicts(response) == [(True, []), (False, [("logo", "not_allowed")])]
    assert [row["row"] for row in response.json()["rows"]] == [2, 4]
    assert response.json()["rows"][1]["values"]["first_name"] == "12"


def test_a_value_the_spec_refuses_is_a_reason_too(alice_client, project):
    body = template_composition(text="{{first_name}} says hi, {{company}}")
    created = alice_client.post(url(project), {"script_name": "Plain", **body}, format="json").json()
    response = check(alice_client, project, created["script_id"], rows=[
        {"first_name": "<speak>x", "company": "Acme", "logo": BLUE}])
    reason = response.json()["rows"][0]["reasons"][0]
    assert (reason["rule"], reason["field"], reason["column"]) == ("spec", "shoot_scripts[0].shoot_script.text_config"
                                                                            ".text", None)
    assert "into SSML" in reason["message"]


@pytest.mark.parametrize("body, words", [
    ({"rows": [{"first_name": "A", "company": "B", "logo": BLUE}] * 1001}, "rows: at most 1000 rows"),
    ({"csv": "first_name,company,logo\n" + "A,B,x\n" * 1001}, "rows: at most 1000 rows"),
    ({"csv": "first_name,company,logo\n"}, "there are no rows"),
    ({"csv": "first_name,,logo\nA,B,C\n"}, "csv: column 2 has no name"),
    ({"rows": [["A"]]}, "rows[0]: must be an object"),
    ({}, "rows: give rows"),
])
def test_bad_requests_are_refused_naming_the_part(alice_client, project, template_id, body, words):
    response = check(alice_client, project, template_id, **body)
    assert response.status_code == 400
    assert words in response.json()["error_msg"]


def test_a_file_too_large_or_unreadable_is_refused(alice_client, project, template_id):
    big = upload(alice_client, project, template_id, b"first_name,company,logo\n" + b"A,B,C\n" * 400_000)
    assert big.status_code in (400, 413) and "larger than 2 MB" in big.json()["error_msg"]
    broken = upload(alice_client, project, template_id, b"PK\x03\x04not a zip", "rows.xlsx")
    assert broken.status_code == 400 and broken.json()["error_msg"].startswith("file: not a readable XLSX")


def test_a_plain_script_has_no_rows_to_check(alice_client, project):
    created = alice_client.post(url(project), {"script_name": "Plain", **template_composition(logo=None) | {
        "template": None}}, format="json").json()
    response = check(alice_client, project, created["script_id"], rows=[{"a": "b"}])
    assert response.status_code == 400 and "is not a template" in response.json()["error_msg"]


def sample(client, project, script_id):
    return client.get(url(project, f"/{script_id}/rows/sample.csv"))


def test_a_sample_csv_has_the_variables_in_order_and_one_row_of_samples(alice_client, bob_client, project):
    body = template_composition(first_name="=HYPERLINK(\"http://x\")", company="Acme, Inc.")
    variables = body["template"]["variables"]
    variables[0]["max_length"] = 100
    body["template"]["variables"] = [variables[2], variables[0], variables[1]]   # declared: logo first
    created = alice_client.post(url(project), {"script_name": "Welcome", **body}, format="json")
    assert created.status_code == 200, created.content
    script_id = created.json()["script_id"]
    response = sample(bob_client, project, script_id)        # viewing is enough
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="template-{script_id}-sample.csv"'
    text = response.content.decode("utf-8")
    # The formula is text (a spreadsheet shows it, runs nothing); a comma stays inside its quoted cell.
    assert list(csv.reader(io.StringIO(text))) == [
        ["logo", "first_name", "company"], [BLUE, "'=HYPERLINK(\"http://x\")", "Acme, Inc."]]
    # As it is, the file passes the rows check.
    checked = upload(alice_client, project, script_id, response.content, "sample.csv")
    assert verdicts(checked) == [(True, [])]


def test_a_sample_csv_is_for_a_template_of_this_project(alice_client, charlie_client, project, other_project,
                                                         template_id):
    plain = alice_client.post(url(project), {"script_name": "Plain", **template_composition(logo=None) | {
        "template": None}}, format="json").json()["script_id"]
    refused = sample(alice_client, project, plain)
    assert refused.status_code == 400
    assert refused.json()["error_msg"] == (f"script_id: script {plain} is not a template (its latest revision "
                                           "declares no template.variables)")
    # Another project's member: not through this project, nor through their own project's path.
    outsider = sample(charlie_client, project, template_id)
    assert outsider.status_code == 403 and "first_name" not in outsider.content.decode()
    foreign = sample(charlie_client, other_project, template_id)
    assert foreign.status_code == 404 and foreign.json()["error_msg"].startswith("script_id")
    missing = sample(alice_client, project, "no-such-script")
    assert missing.status_code == 404 and missing.json()["error_msg"].startswith("script_id")


def test_a_template_renders_on_its_own_with_its_samples(alice_client, project, template_id):
    response = alice_client.post(f"/v1/{project.id}/2d-digital-human-videos", {"script_id": template_id},
                                 format="json")
    assert response.status_code == 200, response.content
    job = VideoJob.objects.get(pk=response.json()["job_id"])
    scene = job.spec["shoot_scripts"][0]["shoot_script"]
    assert scene["text_config"]["text"] == "<speak>Hello Ann, welcome to Acme.</speak>"
    assert scene["layer_config"][1]["asset_id"] == BLUE
    assert "template" not in job.spec and job.asset_name == "Welcome Ann"
