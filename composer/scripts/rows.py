"""Rows for a template: read them (JSON, pasted CSV, or an uploaded CSV/XLSX file), map columns to the template's
variables, and check every row before anything renders: the template's rules for values (composer/spec/
variables.py), the project's content review words, and the filled-in composition against the specification.
Each refused row gets every reason, naming the column, the variable and the rule. A sample CSV to start from:
the template's variables as columns and its samples as the one row."""
from __future__ import annotations

from typing import Any

from composer.assets.services import spec_asset_checker
from composer.errors import InvalidInput
from composer.lib.sheets import Sheet, SheetError, csv_text, read_csv, read_sheet
from composer.scripts.diff import variable_rule
from composer.scripts.models import Script
from composer.scripts.review import words_in
from composer.scripts.services import asset_names, validate_for_project
from composer.spec import SpecError
from composer.spec.variables import (
    apply_values,
    check_row,
    output_name,
    ref,
    row_values,
    sample_rows,
    sample_values,
)
from composer.teams.models import Project

MAX_ROWS = 1000
MAX_SHEET_BYTES = 2 * 1024 * 1024
MAX_PASTED = 2 * 1024 * 1024


def template_of(script: Script) -> dict[str, Any]:
    template = (script.head.composition or {}).get("template")
    if not template:
        raise InvalidInput(f"script_id: script {script.id} is not a template (its latest revision declares no "
                           "template.variables)")
    return template


def _json_rows(rows: Any) -> Sheet:
    if not isinstance(rows, list):
        raise InvalidInput("rows: must be an array of objects (column name -> value)")
    columns: dict[str, None] = {}
    sheet = Sheet([], [])
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise InvalidInput(f"rows[{number - 1}]: must be an object (column name -> value)")
        if len(sheet.rows) == MAX_ROWS:
            sheet.too_many = True
            break
        values = {}
        for key, value in row.items():
            if value is not None and not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise InvalidInput(f"rows[{number - 1}].{key}: must be text or a number")
            values[key] = "" if value is None else str(value)
            columns[key] = None
        sheet.rows.append((number, values))
    sheet.columns = list(columns)
    return sheet


def read_rows(data: Any, upload: bytes | None) -> Sheet:
    """The rows of a request: an uploaded file, or `rows` (JSON objects), or `csv` (pasted text)."""
    try:
        if upload is not None:
            if len(upload) > MAX_SHEET_BYTES:
                raise InvalidInput(f"file: is larger than {MAX_SHEET_BYTES // (1024 * 1024)} MB, the limit for rows")
            sheet = read_sheet(upload, MAX_ROWS)
        elif isinstance(data, dict) and "rows" in data:
            sheet = _json_rows(data["rows"])
        elif isinstance(data, dict) and isinstance(data.get("csv"), str):
            if len(data["csv"]) > MAX_PASTED:
                raise InvalidInput(f"csv: must have at most {MAX_PASTED} characters")
            sheet = read_csv(data["csv"], MAX_ROWS)
        else:
            raise InvalidInput("rows: give rows (an array of objects), csv (pasted text with a header line) or a "
                               "file (multipart field 'file', CSV or XLSX)")
    except SheetError as exc:
        raise InvalidInput(f"{'file' if upload is not None else 'csv'}: {exc}") from exc
    if sheet.too_many:
        raise InvalidInput(f"rows: at most {MAX_ROWS} rows a check (this has more)")
    if not sheet.rows:
        raise InvalidInput("rows: there are no rows to check (only column names)")
    return sheet


def normal(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def column_mapping(columns: list[str], template: dict[str, Any], mapping: Any) -> dict[str, str]:
    """variable -> column: `mapping` (column -> variable) first, then columns named as a variable."""
    if mapping is None or mapping == "":
        mapping = {}
    if not isinstance(mapping, dict):
        raise InvalidInput("mapping: must be an object (column name -> variable name)")
    names = [variable["name"] for variable in template["variables"]]
    chosen: dict[str, str] = {}
    for column, variable in mapping.items():
        if column not in columns:
            raise InvalidInput(f"mapping.{column}: there is no column {column!r} (columns: {', '.join(columns)})")
        if variable not in names:
            raise InvalidInput(f"mapping.{column}: {variable!r} is not a variable of this template "
                               f"({', '.join(names)})")
        if variable in chosen:
            raise InvalidInput(f"mapping.{column}: {ref(variable)} already comes from column {chosen[variable]!r}")
        chosen[variable] = column
    chosen.update(automatic_mapping([column for column in columns if column not in mapping], names, chosen))
    missing = [ref(name) for name in names if name not in chosen]
    if missing:
        raise InvalidInput(f"mapping: no column for {', '.join(missing)}; name a column after it or map one "
                           f"(columns: {', '.join(columns)})")
    return chosen


def automatic_mapping(columns: list[str], names: list[str], taken: dict[str, str] | None = None) -> dict[str, str]:
    """variable -> column for the variables not in `taken` that a column is named after ("First name" is
    first_name)."""
    by_name = {normal(column): column for column in columns}
    return {name: by_name[name] for name in names if name not in (taken or {}) and name in by_name}


def sheet_columns(script: Script, data: Any, upload: bytes | None = None) -> dict[str, Any]:
    """What a page shows before mapping: the rows' columns, the template's variables, and the mapping a check
    would make on its own (column -> variable; variables no column is named after are left out)."""
    template = template_of(script)
    sheet = read_rows(data if isinstance(data, dict) else {}, upload)
    variables = [{"name": v["name"], "kind": v["kind"], "label": v.get("label") or ""} for v in template["variables"]]
    found = automatic_mapping(sheet.columns, [v["name"] for v in variables])
    return {"script_id": script.id, "revision": script.head.number, "columns": sheet.columns,
            "variables": variables, "mapping": {column: name for name, column in found.items()},
            "count": len(sheet.rows)}


def sample_csv(script: Script) -> str:
    """A CSV to fill in: one column per variable, in the template's order, and one row of the samples (a text's
    sample, a slot's sample asset id), which a rows check accepts."""
    template = template_of(script)
    samples = sample_values(template)
    return csv_text(list(samples), [list(samples.values())])


def _remembering(checker):
    seen: dict[tuple[str, str], Any] = {}

    def check(path: str, asset_id: str, asset_type: str):
        key = (asset_id, asset_type)
        if key not in seen:
            try:
                seen[key] = checker(path, asset_id, asset_type)
            except SpecError as exc:
                seen[key] = exc
        if isinstance(seen[key], SpecError):
            raise SpecError(path, seen[key].rule)
        return seen[key]
    return check


def check_rows(script: Script, data: Any, upload: bytes | None = None) -> dict[str, Any]:
    """Every row's verdict: {"row", "ok", "values", "output_name", "reasons": [{column, variable, rule,
    message}]}, with the mapping used and the counts."""
    template = template_of(script)
    data = data if isinstance(data, dict) else {}
    sheet = read_rows(data, upload)
    mapping = column_mapping(sheet.columns, template, data.get("mapping"))
    project = script.project
    words = project.review_words or []
    kinds = {variable["name"]: variable["kind"] for variable in template["variables"]}
    checker = _remembering(spec_asset_checker(project))
    results = []
    for line, row in sheet.rows:
        values = {name: row.get(column, "") for name, column in mapping.items()}
        reasons = check_row(template, values)
        filled = row_values(template, values) if not reasons else None
        if filled:
            reasons += [{"variable": name, "rule": "review", "message": (
                f"{ref(name)}: content review found listed words: {', '.join(map(repr, found))}")}
                for name, value in filled.items() if kinds[name] == "text" and (found := words_in(value, words))]
        if filled and not reasons:
            try:
                validate_for_project(project, apply_values(script.head.composition, filled), asset_checker=checker)
            except SpecError as exc:
                reasons.append({"variable": None, "rule": "spec", "field": exc.field,
                                "message": f"with this row's values, {exc.error_msg}"})
        for reason in reasons:
            reason["column"] = mapping.get(reason["variable"]) if reason["variable"] else None
        results.append({"row": line, "ok": not reasons, "values": values,
                        "output_name": output_name(template, filled) if filled and not reasons else None,
                        "reasons": reasons})
    accepted = sum(result["ok"] for result in results)
    return {"script_id": script.id, "revision": script.head.number, "columns": sheet.columns,
            "mapping": {column: name for name, column in mapping.items()}, "count": len(results),
            "accepted": accepted, "refused": len(results) - accepted, "rows": results}


def template_overview(project: Project, composition: dict[str, Any]) -> dict[str, Any] | None:
    """What an approver reads of a template: each variable's rule and sample, and the sample rows (samples,
    longest texts, other allowed assets) whose thumbnails the page shows; None for a plain composition."""
    template = composition.get("template")
    if not template:
        return None
    names = asset_names(project, composition)
    variables = [{"name": v["name"], "label": v.get("label") or "", "kind": v["kind"],
                  "rule": variable_rule(v, names), "sample": names.get(v["sample"], v["sample"])}
                 for v in template["variables"]]
    kinds = {v["name"]: v["kind"] for v in template["variables"]}

    def shown(name: str, value: str) -> dict[str, str]:
        return {"name": name, "value": value if kinds[name] == "text" else names.get(value, value)}
    rows = [{"index": k, "output_name": output_name(template, row) or "",
             "values": [shown(name, value) for name, value in row.items()]}
            for k, row in enumerate(sample_rows(template))]
    return {"variables": variables, "output_name": template.get("output_name") or "", "rows": rows}
