"""Sheets as people fill them in, and the imports' answers: an XLSX from rows, a sheet read back, an upload."""

import io
from collections.abc import Sequence
from typing import Any

from httpx import Response
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from contracts.languages import Language
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


# What people write: any script, line breaks and tabs, and the starts a spreadsheet would run as a formula.
WRITTEN = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn"), include_characters="\n\t=+-@'")
GROUPS = ("persons_with_disabilities", "economically_disadvantaged", "rural_residents", "elderly", "youth")
TOPICS = ("social_services", "social_protection", "employment", "education", "health", "housing")
SDG_TARGETS = ("1.3", "10.2", "5.a", "17.19")


def _said(max_size: int, min_size: int = 0) -> st.SearchStrategy[str]:
    return st.text(WRITTEN, min_size=min_size, max_size=max_size).filter(lambda t: len(t.strip()) >= min_size)


def _line(max_size: int, min_size: int = 0) -> st.SearchStrategy[str]:
    return _said(max_size, min_size).map(lambda t: t.replace("\n", " ").replace("\t", " "))


@st.composite
def recommendation_texts(draw: st.DrawFn) -> dict[str, Any]:
    """A recommendation's text as a client may send it (the service keeps it stripped and with its defaults)."""
    language = draw(st.sampled_from(list(Language)))
    others = draw(st.lists(st.sampled_from([lang for lang in Language if lang != language]), max_size=2, unique=True))
    translation = st.fixed_dictionaries(
        {"title": _line(40, 1)}, optional={"problem_statement": _said(60), "evidence": _said(30)}
    )
    indicator = st.fixed_dictionaries({"name": _line(30, 1), "target": _line(20, 1)}, optional={"baseline": _line(10)})
    result = st.fixed_dictionaries({"result": _said(40, 1), "indicators": st.lists(indicator, max_size=2)})
    return {
        "title": draw(_line(60, 1)),
        "problem_statement": draw(_said(80)),
        "evidence": draw(_said(40)),
        "proposed_measures": draw(_said(40)),
        "language": language.value,
        "translations": {lang.value: draw(translation) for lang in others},
        "target_groups": draw(st.lists(st.sampled_from(GROUPS), max_size=3, unique=True)),
        "topics": draw(st.lists(st.sampled_from(TOPICS), max_size=2, unique=True)),
        "sdg_targets": draw(st.lists(st.sampled_from(SDG_TARGETS), max_size=2, unique=True)),
        "responsible_level": draw(st.sampled_from(["lg", "lga", "central"])),
        "priority": draw(st.sampled_from(["high", "medium", "low"])),
        "expected_results": draw(st.lists(result, max_size=2)),
    }
