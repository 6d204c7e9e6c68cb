"""Any list of pydantic rows as a CSV or XLSX download: one column per field, nested values as compact JSON."""

import csv
import io
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from fastapi import Response
from openpyxl import Workbook
from pydantic import BaseModel

Cell = str | int | float | bool | None


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
    """A JSON value as one cell; lists and objects stay readable (and parseable) as compact JSON."""
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return value  # type: ignore[no-any-return]


def table(rows: Sequence[BaseModel], model: type[BaseModel]) -> list[list[Cell]]:
    """The header row, then each row's cells in field order, from the rows' JSON form."""
    names = columns(model)
    dumped = (row.model_dump(mode="json") for row in rows)
    return [list(names), *([cell(document[name]) for name in names] for document in dumped)]


def to_csv(rows: Sequence[BaseModel], model: type[BaseModel]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table(rows, model))
    # A byte-order mark, so that spreadsheet programs read UTF-8 names in every language correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[BaseModel], model: type[BaseModel], sheet: str) -> bytes:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    for line in table(rows, model):
        worksheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(rows: Sequence[BaseModel], model: type[BaseModel], fmt: ExportFormat, name: str) -> Response:
    """A CSV or XLSX attachment named `<name>-<UTC date>.<format>`."""
    if fmt is ExportFormat.JSON:
        raise ValueError("JSON is the endpoint's own response, not a download")
    body = to_csv(rows, model) if fmt is ExportFormat.CSV else to_xlsx(rows, model, name)
    filename = f"{name}-{datetime.now(UTC):%Y%m%d}.{fmt.value}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers)
