"""What every list of progress takes and gives: paging and filters, and a page of JSON or a CSV / XLSX download."""

from typing import Annotated

from fastapi import Query, Response

from services.progress.schemas import Page, RowT
from sori.exports import ExportFormat, download
from sori.i18n import ui_language

Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]
Limit = Annotated[int, Query(ge=1, le=10_000, description="rows at most")]
Format = Annotated[ExportFormat, Query(alias="format", description="json (a page), or a csv / xlsx download")]
Filter = Annotated[str | None, Query(max_length=50)]
Language = Annotated[
    str,
    Query(
        alias="lang",
        max_length=10,
        description="the language of a CSV's yes and no (en, mk, sq, bs, hr, sr-Latn, sr-Cyrl)",
    ),
]


def answer(page: Page[RowT], model: type[RowT], fmt: ExportFormat, name: str, language: str) -> Page[RowT] | Response:
    return page if fmt is ExportFormat.JSON else download(page.items, model, fmt, name, ui_language(language))
