"""Every progress list downloads as CSV and XLSX with the same rows as its JSON page."""

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from contracts.envelope import Role
from sori.exports import cell, csv_text
from tests.support.progress import deliver_all, story
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens

LISTS = ["recommendations", "milestones", "actions", "social-approaches"]


async def fetch(progress: ServiceUnderTest, tokens: Tokens, name: str, fmt: str, lang: str = "en") -> Any:
    response = await progress.http.get(
        f"/progress/v1/{name}", params={"format": fmt, "lang": lang}, headers=tokens.header(Role.LGA, "ZELS")
    )
    assert response.status_code == 200, response.text
    return response


def expected_rows(page: dict[str, Any]) -> list[list[Any]]:
    items = page["items"]
    header = list(items[0])
    return [header, *([cell(item[name]) for name in header] for item in items)]


@pytest.mark.parametrize("name", LISTS)
async def test_a_csv_export_has_the_rows_of_the_json_list(
    progress: ServiceUnderTest, tokens: Tokens, name: str
) -> None:
    await deliver_all(progress, story()[0].events)
    page = (await fetch(progress, tokens, name, "json")).json()
    download = await fetch(progress, tokens, name, "csv")

    assert download.headers["content-type"].startswith("text/csv")
    assert f'filename="{name}-' in download.headers["content-disposition"]
    assert download.headers["content-disposition"].endswith('.csv"')
    lines = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    as_text = [[csv_text(v, "en") for v in row] for row in expected_rows(page)]
    assert lines == as_text
    assert not {"[]", "{}", "False", "True", "None"} & {value for line in lines for value in line}
    print(f"{name}: {len(lines) - 1} rows in CSV and JSON")


@pytest.mark.parametrize("name", LISTS)
async def test_an_xlsx_export_has_the_rows_of_the_json_list(
    progress: ServiceUnderTest, tokens: Tokens, name: str
) -> None:
    await deliver_all(progress, story()[0].events)
    page = (await fetch(progress, tokens, name, "json")).json()
    download = await fetch(progress, tokens, name, "xlsx")

    assert download.headers["content-disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(download.content), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == expected_rows(page)


async def test_a_csv_says_yes_and_no_in_the_persons_language_and_leaves_empty_lists_empty(
    progress: ServiceUnderTest, tokens: Tokens
) -> None:
    await deliver_all(progress, story()[0].events)
    download = await fetch(progress, tokens, "milestones", "csv", lang="mk")
    header, *rows = csv.reader(io.StringIO(download.content.decode("utf-8-sig")))
    assert rows
    overdue, escalated = header.index("overdue"), header.index("escalated")
    assert {row[overdue] for row in rows} | {row[escalated] for row in rows} <= {"Да", "Не"}  # noqa: RUF001


async def test_an_unknown_format_is_refused(progress: ServiceUnderTest, tokens: Tokens) -> None:
    response = await progress.http.get(
        "/progress/v1/actions", params={"format": "pdf"}, headers=tokens.header(Role.NALAS, "NALAS")
    )
    assert response.status_code == 422
