"""sori.exports: one column per field in field order; nested values become compact JSON cells."""

import csv
import io
import json

from pydantic import BaseModel

from sori.exports import table, to_csv


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
