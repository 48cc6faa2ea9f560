"""Reading spreadsheet rows: pasted tab-separated text, and workbooks that would unpack or scan without end."""
from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from composer.lib.sheets import MAX_UNPACKED_BYTES, SheetError, read_csv, read_sheet


def workbook(fill) -> bytes:
    book = Workbook()
    fill(book.active)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_pasted_tab_separated_text_is_read():
    sheet = read_csv("name\tcompany\nAnn\tAcme, Inc.\n\nBo\t\n", 10)
    assert sheet.columns == ["name", "company"]
    assert sheet.rows == [(2, {"name": "Ann", "company": "Acme, Inc."}), (4, {"name": "Bo", "company": ""})]


def test_a_single_column_and_short_rows_are_read():
    assert read_csv("name\nAnn\n", 10).rows == [(2, {"name": "Ann"})]


def test_too_many_rows_are_flagged_not_read():
    sheet = read_csv("name\n" + "Ann\n" * 5, 3)
    assert sheet.too_many and len(sheet.rows) == 3


def test_a_sheet_of_endless_empty_rows_stops_early():
    def fill(sheet):
        sheet.append(["name"])
        sheet.cell(row=5000, column=1, value="far down")
    with pytest.raises(SheetError, match="more than 100 rows"):
        read_sheet(workbook(fill), 10)


def test_a_workbook_that_unpacks_too_far_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (MAX_UNPACKED_BYTES + 1))
    with pytest.raises(SheetError, match="unpacks to more than 64 MB"):
        read_sheet(buffer.getvalue(), 10)


def test_unnamed_or_repeated_columns_are_refused():
    with pytest.raises(SheetError, match="two columns are named 'a'"):
        read_csv("a,a\n1,2\n", 10)
    with pytest.raises(SheetError, match="column 1 has no name in row 1"):
        read_sheet(workbook(lambda sheet: sheet.append([None, "b"])), 10)
