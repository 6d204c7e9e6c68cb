"""Sheets as people fill them in, and the imports' answers: an XLSX from rows, a sheet read back, an upload."""

import io
from collections.abc import Sequence
from typing import Any

from httpx import Response
from openpyxl import Workbook, load_workbook

from sori.sheets import XLSX_MEDIA_TYPE
from tests.support.services import ServiceUnderTest


def xlsx(header: Sequence[str], *rows: dict[str, Any]) -> bytes:
    """A workbook as a spreadsheet program saves it: the header row, then each row's cells by column name."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(name) for name in header])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def lines(content: bytes) -> list[list[Any]]:
    """The first worksheet's rows, as a person sees them."""
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(line) for line in sheet.iter_rows(values_only=True)]


def records(content: bytes) -> list[dict[str, Any]]:
    header, *rows = lines(content)
    # A row's empty cells at its end are not stored.
    return [dict(zip(header, [*row, *[None] * (len(header) - len(row))], strict=True)) for row in rows]


async def upload(
    service: ServiceUnderTest, path: str, content: bytes, headers: dict[str, str], *, dry_run: bool
) -> Response:
    return await service.http.post(
        path,
        files={"file": ("sheet.xlsx", content, XLSX_MEDIA_TYPE)},
        params={"dry_run": str(dry_run).lower()},
        headers=headers,
    )
