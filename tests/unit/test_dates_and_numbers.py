"""Dates as each language writes them: English takes CLDR's medium form through Babel; the languages of the region
take the project's own figures-only patterns (README, "Dates"), which no CLDR release can change."""

from datetime import date, datetime

import pytest
from babel.dates import format_date, format_datetime

from sori.i18n import LANGUAGES, Formats

DUE = date(2027, 6, 30)
AT = datetime(2027, 6, 30, 14, 5)

WRITTEN = {
    "mk": "30.6.2027",
    "sq": "30.6.2027",
    "bs": "30. 6. 2027.",
    "hr": "30. 6. 2027.",
    "sr-Latn": "30. 6. 2027.",
    "sr-Cyrl": "30. 6. 2027.",
}


def test_english_dates_come_from_cldr_through_babel() -> None:
    assert Formats("en").date(DUE) == format_date(DUE, format="medium", locale="en") == "Jun 30, 2027"
    assert Formats("en").moment(AT) == format_datetime(AT, format="short", locale="en")


@pytest.mark.parametrize(("language", "written"), WRITTEN.items())
def test_the_regions_languages_write_dates_in_the_projects_own_form(language: str, written: str) -> None:
    assert Formats(language).date(DUE) == written
    assert Formats(language).date("2027-06-30T09:00:00+00:00") == written
    assert Formats(language).moment(AT) == f"{written} 14:05"


def test_every_language_but_english_sets_its_own_pattern() -> None:
    assert {code for code, language in LANGUAGES.items() if language.date_pattern} == set(WRITTEN)


def test_macedonian_and_english_differ() -> None:
    assert Formats("mk").date(DUE) != Formats("en").date(DUE)


def test_a_missing_date_is_a_dash() -> None:
    assert Formats("mk").date(None) == Formats("en").moment("") == "—"
