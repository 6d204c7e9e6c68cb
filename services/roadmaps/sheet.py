"""A roadmap's recommendations as a sheet, one row each, and a filled-in sheet back as recommendation texts: the one
layout of the export, the template and the import.

Columns: `id` (empty for a new recommendation), `code` and `status` (shown, never read), `language` (the language
the recommendation is written in), then per language `title/<lang>`, `problem_statement/<lang>`, `evidence/<lang>`
and `proposed_measures/<lang>` (the text in its own language; in another language, a translation), then the codes
and choices: `target_groups`, `topics`, `sdg_targets` (comma-separated), `responsible_level`, `priority`, and
`expected_results` (JSON, as the API takes it)."""

import json
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from contracts.languages import Language
from services.roadmaps.domain.imports import ReadRecommendation
from services.roadmaps.domain.text import RecommendationText
from sori.exports import Cell, cell
from sori.sheets import Location, Problem, SheetRow, problems_of

TEXTS = ("title", "problem_statement", "evidence", "proposed_measures")
LISTS = ("target_groups", "topics", "sdg_targets")
CHOICES = ("responsible_level", "priority")
RESULTS = "expected_results"
SHOWN = ("code", "status")
COLUMNS = (
    "id",
    *SHOWN,
    "language",
    *(f"{field}/{language.value}" for language in Language for field in TEXTS),
    *LISTS,
    *CHOICES,
    RESULTS,
)
# The per-language columns may be left out (a sheet keeps the languages it has); the rest may not.
REQUIRED = ("id", "language", *LISTS, *CHOICES, RESULTS)
SEPARATORS = (",", ";", "\n")
LANGUAGES = tuple(language.value for language in Language)


def text_column(field: str, language: str) -> str:
    return f"{field}/{language}"


def rows(recommendations: Iterable[dict[str, Any]]) -> list[list[Cell]]:
    """The header, then one row per recommendation (its id, code, status, and its current text)."""
    return [list(COLUMNS), *(_row(recommendation) for recommendation in recommendations)]


def _row(recommendation: dict[str, Any]) -> list[Cell]:
    text = RecommendationText.model_validate(recommendation["text"])
    values: dict[str, Any] = {
        "id": str(recommendation["id"]),
        "code": recommendation["code"],
        "status": recommendation["status"],
        "language": text.language.value,
        **{text_column(field, text.language.value): getattr(text, field) for field in TEXTS},
        **{
            text_column(field, language.value): getattr(translation, field)
            for language, translation in text.translations.items()
            for field in TEXTS
        },
        **{name: ", ".join(getattr(text, name)) for name in LISTS},
        **{name: getattr(text, name).value for name in CHOICES},
        RESULTS: [result.model_dump(mode="json") for result in text.expected_results],
    }
    return [cell(values.get(column) or None) for column in COLUMNS]


def read_row(row: SheetRow) -> ReadRecommendation:
    problems: list[Problem] = []
    recommendation_id: UUID | None = None
    if row.text("id"):
        try:
            recommendation_id = UUID(row.text("id").strip())
        except ValueError:
            problems.append(Problem(row=row.number, column="id", problem="not a recommendation id (leave it empty)"))
    groups, topics = _codes(row.text("target_groups")), _codes(row.text("topics"))
    language = row.text("language").strip() or _first_titled(row)
    if language not in LANGUAGES:
        problem = f"not a language SoRi writes in; one of {', '.join(LANGUAGES)}"
        problems.append(Problem(row=row.number, column="language", problem=problem))
        return ReadRecommendation(row.number, recommendation_id, groups, topics, None, problems)
    document: dict[str, Any] = {
        "language": language,
        **{field: row.text(text_column(field, language)) for field in TEXTS},
        "translations": {
            other.value: {field: row.text(text_column(field, other.value)) for field in TEXTS}
            for other in Language
            if other.value != language and any(row.text(text_column(field, other.value)) for field in TEXTS)
        },
        **{name: _codes(row.text(name)) for name in LISTS},
        **{name: row.text(name).strip() for name in CHOICES if row.text(name).strip()},
    }
    try:
        document[RESULTS] = json.loads(row.text(RESULTS)) if row.text(RESULTS).strip() else []
    except ValueError:
        problems.append(Problem(row=row.number, column=RESULTS, problem="not JSON: see the template's example"))
    try:
        text = RecommendationText.model_validate(document)
    except ValidationError as exc:
        problems += problems_of(exc, row.number, lambda location: _column_of(location, language))
        return ReadRecommendation(row.number, recommendation_id, groups, topics, None, problems)
    return ReadRecommendation(row.number, recommendation_id, groups, topics, None if problems else text, problems)


def _first_titled(row: SheetRow) -> str:
    """A row that does not say its language is in the first language it has a title in (English if none)."""
    return next((lang.value for lang in Language if row.text(text_column("title", lang.value))), Language.ENGLISH)


def _codes(listed: str) -> list[str]:
    for separator in SEPARATORS[1:]:
        listed = listed.replace(separator, SEPARATORS[0])
    return [code.strip() for code in listed.split(SEPARATORS[0]) if code.strip()]


def _column_of(location: Location, language: str) -> tuple[str, Location]:
    """The column a field of RecommendationText came from, and where in that cell the problem is."""
    if not location:
        return "language", ()
    field, rest = str(location[0]), location[1:]
    if field in TEXTS:
        return text_column(field, language), ()
    if field == "translations" and rest:
        other = str(rest[0])
        inner = str(rest[1]) if len(rest) > 1 else "title"
        return text_column(inner if inner in TEXTS else "title", other), ()
    if field in LISTS:
        return field, ()
    return (field, rest) if field in (*CHOICES, RESULTS, "language") else ("language", location)
