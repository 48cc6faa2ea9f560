"""Tables of rows that people make in a spreadsheet. Reading: CSV (any of the encodings Excel saves: UTF-8 with
or without a BOM, UTF-16 "Unicode text", Windows-1252; comma, semicolon or tab separated; quoted fields with
separators and line breaks inside) through Python's csv module, and XLSX through openpyxl. The first row holds
the column names. Bounded: at most `max_rows` rows are read (one more says there are too many). Writing: CSV
(`csv_text`) whose every cell a spreadsheet would run as a formula is written as text (`formula_safe`).
"""
from __future__ import annotations

import codecs
import csv
import datetime
import io
from dataclasses import dataclass

XLSX_MAGIC = b"PK\x03\x04"
DELIMITERS = ",;\t"
MAX_COLUMNS = 200
#: a workbook's parts unpacked, at most (a small file cannot unpack into gigabytes)
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
#: rows read (empty ones included) per row allowed, at most: a sheet of a million empty rows stops early
SCAN_FACTOR = 10


class SheetError(ValueError):
    """The file cannot be read as a table; the message says why."""


@dataclass
class Sheet:
    columns: list[str]
    #: each row: column name -> text ("" for an empty cell); line: the row's first line (CSV) or row (XLSX)
    rows: list[tuple[int, dict[str, str]]]
    too_many: bool = False


def decode_csv(data: bytes) -> str:
    """The text of a CSV file: a BOM says the encoding; else UTF-8 if it is valid, else Windows-1252."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise SheetError(f"the file starts as {encoding} but byte {exc.start} is not") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SheetError(f"the file is neither UTF-8, UTF-16 nor Windows-1252 text (byte {exc.start} is "
                         f"0x{data[exc.start]:02X}); save it as CSV UTF-8") from exc


def _delimiter(text: str) -> str:
    sample = text[:8192]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = sample.split("\n", 1)[0]
        return max(DELIMITERS, key=header.count) if any(d in header for d in DELIMITERS) else ","


def _columns(raw: list, where: str) -> list[str]:
    names = ["" if cell is None else str(cell).strip() for cell in raw]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise SheetError(f"{where} (the column names) is empty")
    if len(names) > MAX_COLUMNS:
        raise SheetError(f"at most {MAX_COLUMNS} columns (got {len(names)})")
    seen = set()
    for number, name in enumerate(names, start=1):
        if not name:
            raise SheetError(f"column {number} has no name in {where}")
        if name in seen:
            raise SheetError(f"two columns are named {name!r}")
        seen.add(name)
    return names


def _row(columns: list[str], cells: list[str]) -> dict[str, str] | None:
    values = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(columns)}
    return values if any(value.strip() for value in values.values()) else None


def read_csv(data: bytes | str, max_rows: int) -> Sheet:
    text = data if isinstance(data, str) else decode_csv(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise SheetError("the file is empty")
        columns = _columns(header, "the first line")
        sheet = Sheet(columns, [])
        line = reader.line_num + 1
        for cells in reader:
            row = _row(columns, cells)
            if row is not None:
                if len(sheet.rows) == max_rows:
                    sheet.too_many = True
                    break
                sheet.rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise SheetError(f"line {reader.line_num}: {exc}") from exc
    return sheet


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def read_xlsx(data: bytes, max_rows: int) -> Sheet:
    """The first worksheet of an XLSX workbook (cell values, not formulas)."""
    # openpyxl loads only when a workbook arrives.
    import zipfile

    from openpyxl import load_workbook

    try:
        unpacked = sum(part.file_size for part in zipfile.ZipFile(io.BytesIO(data)).infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise SheetError(f"the workbook unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB")
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        if isinstance(exc, SheetError):
            raise
        raise SheetError(f"not a readable XLSX workbook ({exc})") from exc
    try:
        header = next(book.worksheets[0].iter_rows(max_row=1, max_col=MAX_COLUMNS + 1, values_only=True), None)
        if header is None:
            raise SheetError("the first worksheet is empty")
        columns = _columns(list(header), "row 1")
        sheet = Sheet(columns, [])
        rows = book.worksheets[0].iter_rows(min_row=2, max_col=len(columns), values_only=True)
        for number, raw in enumerate(rows, start=2):
            if number > max_rows * SCAN_FACTOR:
                raise SheetError(f"the first worksheet has more than {max_rows * SCAN_FACTOR} rows")
            row = _row(columns, [_cell(value) for value in raw])
            if row is not None:
                if len(sheet.rows) == max_rows:
                    sheet.too_many = True
                    break
                sheet.rows.append((number, row))
        return sheet
    finally:
        book.close()


def read_sheet(data: bytes, max_rows: int) -> Sheet:
    """A CSV or XLSX file (told apart by its content) as columns and rows."""
    if data.startswith(XLSX_MAGIC):
        return read_xlsx(data, max_rows)
    return read_csv(data, max_rows)


def formula_safe(value) -> str:
    """The value as a CSV cell: text a spreadsheet would run as a formula (starting with = + - @) is written as
    text, with a leading apostrophe."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def csv_text(header: list[str], rows: list[list]) -> str:
    """A CSV file's text (comma separated, quoted where needed) whose every cell is formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in [header, *rows]:
        writer.writerow([formula_safe(cell) for cell in row])
    return out.getvalue()
