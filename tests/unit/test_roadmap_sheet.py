"""A recommendation written into the roadmap sheet reads back as the same text, whatever it says: every script, line
breaks, texts a spreadsheet would run as formulas, translations, codes and expected results."""

from typing import Any
from uuid import uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.languages import Language
from services.roadmaps import sheet
from services.roadmaps.domain.text import RecommendationText
from sori import sheets
from sori.exports import workbook
from tests.support.sheets import recommendation_texts


@given(st.lists(recommendation_texts(), min_size=1, max_size=3))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_text_written_to_the_sheet_reads_back_the_same(texts: list[dict[str, Any]]) -> None:
    kept = [RecommendationText.model_validate(text) for text in texts]
    listed = [
        {"id": uuid4(), "code": "ZELS-2026-01", "status": "drafted", "text": k.model_dump(mode="json")} for k in kept
    ]

    read = sheets.read(
        workbook([("recommendations", sheet.rows(listed))]), known=sheet.COLUMNS, required=sheet.REQUIRED
    )
    back = [sheet.read_row(row) for row in read.rows]

    assert [row.problems for row in back] == [[] for _ in kept]
    assert [row.text for row in back] == kept
    assert [row.id for row in back] == [item["id"] for item in listed]


def test_a_row_without_a_language_is_in_the_language_of_its_first_title() -> None:
    row = sheets.SheetRow(2, {"title/sq": "Qendra ditore", "title/hr": "Dnevni centri"})

    read = sheet.read_row(row)

    assert read.text is not None
    assert read.text.language == "sq"
    assert read.text.translations[Language.CROATIAN].title == "Dnevni centri"
