"""An uploaded XLSX read back into rows, safely, and what an import says about each row: what it will do, and every
problem by row and column.

The reader is for sheets people fill in from a SoRi template or export: the first worksheet, a header row of column
names, then one row per item (blank rows are skipped). It reads cell values only, never formulas, and refuses, with
a reason, anything that is not a small XLSX workbook."""

import io
import zipfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from fastapi import HTTPException, Request, status
from openpyxl import load_workbook
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import UploadFile

from sori.errors import CommandRefused, RefusalKind
from sori.exports import FORMULA_STARTS, MEDIA_TYPES, QUOTE, Cell, ExportFormat

XLSX_MEDIA_TYPE = MEDIA_TYPES[ExportFormat.XLSX]
MAX_BYTES = 2 * 1024 * 1024
# What a multipart body carrying the largest file weighs, for the route's max_body_size.
BODY_LIMIT = MAX_BYTES + 64 * 1024
# A workbook is a zip: one that unpacks to far more than any real sheet is a zip bomb, refused before it is parsed.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_ROWS = 2_000
ZIP_MAGIC = b"PK\x03\x04"
TOO_LARGE = f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it into several imports"
NOT_XLSX = "the file is not an Excel workbook (.xlsx); save it from your spreadsheet program as Excel Workbook"
XLSX_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}}
}
# An import's OpenAPI: the multipart body with its file, and its 4xx answers.
IMPORT_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary", "description": "the XLSX"}},
                }
            }
        },
    },
    "responses": {
        "422": {"description": "the sheet's columns are wrong, or (not a dry run) a row has problems: none written"},
    },
}


class RowAction(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class ProblemKind(StrEnum):
    REQUIRED = "required"
    TOO_LONG = "too_long"
    NOT_VALID = "not_valid"
    UNKNOWN_CODE = "unknown_code"
    NOT_IN_ROADMAP = "not_in_roadmap"
    NOT_EDITABLE = "not_editable"
    REPEATED = "repeated"


# pydantic's error types, as the kinds of problem a person is told of in their language.
KIND_OF_ERROR = {
    "missing": ProblemKind.REQUIRED,
    "string_too_short": ProblemKind.REQUIRED,
    "string_too_long": ProblemKind.TOO_LONG,
    "too_long": ProblemKind.TOO_LONG,
}


class Problem(BaseModel):
    row: int = Field(description="the row's number in the sheet (the header is row 1)", examples=[3])
    column: str = Field(description="the column's name in the header row", examples=["title/sq"])
    kind: ProblemKind = Field(default=ProblemKind.NOT_VALID, description="what is wrong, for a client to word")
    problem: str = Field(description="what is wrong, in English", examples=["Field required"])


class RowOutcome(BaseModel):
    row: int = Field(examples=[2])
    action: RowAction
    id: str | None = Field(default=None, description="the id of what the row updates (or, after an import, makes)")
    label: str = Field(description="what the row is about, in a few words", examples=["Day-care centres"])


class ImportReport(BaseModel):
    """What an import does (a dry run: would do), row by row; problems, if any, mean nothing is or would be written."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "dry_run": True,
                    "rows": [
                        {"row": 2, "action": "new", "id": None, "label": "Day-care centres in rural areas"},
                        {
                            "row": 3,
                            "action": "updated",
                            "id": "5b0e5d1c-3f2a-4c1e-9d7b-2a6f1e0c9a11",
                            "label": "Mobile outreach teams",
                        },
                    ],
                    "problems": [
                        {
                            "row": 4,
                            "column": "title/sq",
                            "kind": "required",
                            "problem": "translations.sq.title: Field required",
                        }
                    ],
                }
            ]
        }
    )

    dry_run: bool
    rows: list[RowOutcome]
    problems: list[Problem]


@dataclass(frozen=True)
class SheetRow:
    number: int
    cells: dict[str, Cell]

    def text(self, column: str) -> str:
        """The cell as text: empty for no value, a number as a person typed it."""
        value = self.cells.get(column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)


@dataclass(frozen=True)
class Sheet:
    header: list[str]
    rows: list[SheetRow]


async def uploaded(request: Request) -> bytes:
    """The file a multipart body carries in its field `file`, at most MAX_BYTES (413 beyond)."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "send multipart/form-data with the XLSX as `file`")
    async with request.form(max_files=1, max_fields=10) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise CommandRefused(RefusalKind.INVALID, "the multipart body has no file in the field `file`")
        content = await upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, TOO_LARGE)
    return content


def read(content: bytes, *, known: Sequence[str], required: Collection[str]) -> Sheet:
    """The first worksheet's rows by column name; a file that is not an XLSX is a 415, a header that names columns
    the layout does not know, or lacks `required` ones, a 422 naming them."""
    worksheet = _first_worksheet(content)
    lines = worksheet.iter_rows(values_only=True)
    header = [_header_name(value) for value in next(lines, ())]
    _check_header(header, known, required)
    rows: list[SheetRow] = []
    for number, line in enumerate(lines, start=2):
        cells = {name: _value(value) for name, value in zip(header, line, strict=False) if name}
        if all(value is None for value in cells.values()):
            continue
        if len(rows) == MAX_ROWS:
            raise CommandRefused(RefusalKind.INVALID, f"the sheet has more than {MAX_ROWS} rows; split it")
        rows.append(SheetRow(number, cells))
    return Sheet([name for name in header if name], rows)


def _first_worksheet(content: bytes) -> Any:
    if not content.startswith(ZIP_MAGIC):
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            if "xl/workbook.xml" not in archive.namelist():
                raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, NOT_XLSX)
        if unpacked > MAX_UNPACKED_BYTES:
            raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "the workbook unpacks to too much data")
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        return book.worksheets[0]
    except HTTPException:
        raise
    except Exception as exc:  # a parser of untrusted bytes: whatever it trips on, the file is not a workbook we read
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, NOT_XLSX) from exc


def _header_name(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _check_header(header: list[str], known: Sequence[str], required: Collection[str]) -> None:
    names = [name for name in header if name]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise CommandRefused(
            RefusalKind.INVALID, f"the header row names a column twice: {', '.join(repeated)}", "sheet_columns"
        )
    unknown = [name for name in names if name not in known]
    if unknown:
        raise CommandRefused(
            RefusalKind.INVALID,
            f"the sheet has columns this import does not know: {', '.join(unknown)} (the template's columns are: "
            f"{', '.join(known)})",
            "sheet_unknown_columns",
            {"columns": ", ".join(unknown)},
        )
    missing = [name for name in required if name not in names]
    if missing:
        raise CommandRefused(
            RefusalKind.INVALID,
            f"the sheet lacks columns: {', '.join(missing)} (start from the template)",
            "sheet_missing_columns",
            {"columns": ", ".join(missing)},
        )


def _value(value: Any) -> Cell:
    """A cell's value as an export wrote it: text loses the quote that kept a formula from running."""
    if isinstance(value, str):
        if value.startswith(QUOTE) and value[1:].startswith((*FORMULA_STARTS, QUOTE)):
            value = value[1:]
        return value if value.strip() else None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)


Location = tuple[int | str, ...]


def problems_of(
    error: ValidationError, row: int, column_of: Callable[[Location], tuple[str, Location]]
) -> list[Problem]:
    """pydantic's errors as problems of a row, each in the column its field came from: `column_of` names the column
    of a field's location and the part of the location within that cell (an item of a list, say), if any."""
    found = []
    for item in error.errors():
        column, within = column_of(tuple(item["loc"]))
        where = ".".join(str(part) for part in within)
        said = f"{where}: {item['msg']}" if where else item["msg"]
        kind = KIND_OF_ERROR.get(item["type"], ProblemKind.NOT_VALID)
        found.append(Problem(row=row, column=column, kind=kind, problem=said))
    return found


class SheetRefused(CommandRefused):
    """An import refused because of its rows: nothing is written, and the answer names every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(
            RefusalKind.INVALID,
            f"nothing was imported: row {first.row}, column {first.column}: {first.problem}{more}",
            "sheet_has_problems",
            {"row": first.row, "column": first.column, "problems": len(problems)},
        )
        self.problems = problems

    def answer(self) -> dict[str, Any]:
        return {**super().answer(), "problems": [problem.model_dump() for problem in self.problems]}
