"""Any list of pydantic rows as a CSV or XLSX download: one column per field, nested values as compact JSON.

No cell is ever a formula (OWASP's CSV-injection rule): a text a spreadsheet would run starts with a quote, and the
XLSX stores every text as text.
"""

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from fastapi import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from pydantic import BaseModel

from sori.i18n import DEFAULT, translations

Cell = str | int | float | bool | None
# What a spreadsheet reads as the start of a formula (or, for tab and CR, a way to hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A text that starts with the quote itself gets one more, so that reading a sheet back (sori.sheets) drops exactly one.
QUOTE = "'"


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# For a list endpoint's `responses=`: its OpenAPI shows the two download types beside JSON.
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {media: {"schema": {"type": "string", "format": "binary"}} for media in MEDIA_TYPES.values()}}
}


def columns(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)


def cell(value: Any) -> Cell:
    """A JSON value as one cell; lists and objects stay readable (and parseable) as compact JSON, empty ones empty."""
    if isinstance(value, dict | list):
        value = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False) if value else None
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, QUOTE)):
        return QUOTE + value
    return value  # type: ignore[no-any-return]


def csv_text(value: Cell, language: str) -> str:
    """A cell as CSV writes it: nothing for no value, the person's yes or no for a truth value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return translations(language).gettext("Yes" if value else "No")
    return str(value)


def table(rows: Sequence[BaseModel], model: type[BaseModel]) -> list[list[Cell]]:
    """The header row, then each row's cells in field order, from the rows' JSON form."""
    names = columns(model)
    dumped = (row.model_dump(mode="json") for row in rows)
    return [list(names), *([cell(document[name]) for name in names] for document in dumped)]


def to_csv(rows: Sequence[BaseModel], model: type[BaseModel], language: str = DEFAULT) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([csv_text(value, language) for value in line] for line in table(rows, model))
    # A byte-order mark, so that spreadsheet programs read UTF-8 names in every language correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[BaseModel], model: type[BaseModel], sheet: str) -> bytes:
    return workbook([(sheet, table(rows, model))])


def workbook(sheets: Sequence[tuple[str, Iterable[Sequence[Cell]]]]) -> bytes:
    """An XLSX of named sheets, each a list of lines (the first one its header), every text a text cell."""
    book = Workbook(write_only=True)
    for name, lines in sheets:
        worksheet = book.create_sheet(name[:31])
        for line in lines:
            worksheet.append([_xlsx_cell(worksheet, value) for value in line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(worksheet: WriteOnlyWorksheet, value: Cell) -> SheetCell | Cell:
    """Text as a text cell: openpyxl would otherwise store any text that starts with `=` as a formula."""
    if not isinstance(value, str):
        return value
    text: SheetCell = WriteOnlyCell(worksheet, value)
    text.data_type = "s"
    return text


def download(
    rows: Sequence[BaseModel], model: type[BaseModel], fmt: ExportFormat, name: str, language: str = DEFAULT
) -> Response:
    """A CSV or XLSX attachment named `<name>-<UTC date>.<format>`; a CSV says yes and no in `language`."""
    if fmt is ExportFormat.JSON:
        raise ValueError("JSON is the endpoint's own response, not a download")
    body = to_csv(rows, model, language) if fmt is ExportFormat.CSV else to_xlsx(rows, model, name)
    filename = f"{name}-{datetime.now(UTC):%Y%m%d}.{fmt.value}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers)
