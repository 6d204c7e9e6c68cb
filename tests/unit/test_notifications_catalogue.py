"""Every notice kind has a subject and a body, and they are read from the catalogues the portal speaks from."""

import string
from collections import defaultdict

import pytest

from contracts.languages import Language
from services.notifications.catalogue import DAYS, NOTICE_TEXTS, render
from services.notifications.domain import NoticeKind
from sori.i18n import LANGUAGES, translations, ui_language

# The working group's decisions quote what it wrote, under a heading of their own.
HEADINGS = {f"{kind}.comments" for kind in ("changes_requested", "rejected", "verified", "returned")}
DIGEST = {"digest.subject", "digest.body"}
KEYS = {f"{kind.value}.{part}" for kind in NoticeKind for part in ("subject", "body")} | HEADINGS | DIGEST


def test_every_notice_kind_has_a_subject_and_a_body_and_each_decision_a_heading_for_its_words() -> None:
    assert set(NOTICE_TEXTS) == KEYS


@pytest.mark.parametrize("language", list(Language))
def test_every_language_a_person_can_choose_has_a_catalogue_of_its_own(language: Language) -> None:
    assert ui_language(language) == language.value
    assert language.value in LANGUAGES


@pytest.mark.parametrize("language", [language for language in Language if language is not Language.ENGLISH])
def test_notices_are_rendered_from_the_portals_catalogue(language: Language) -> None:
    catalogue = translations(language.value)
    for key, english in NOTICE_TEXTS.items():
        translated = catalogue.gettext(english)
        if key != "digest.subject":  # "SoRi: …" may read alike
            assert translated != english, f"{language}: {key} is not translated"
        params = {name: f"<{name}>" for _, name, _, _ in string.Formatter().parse(english) if name and name not in DAYS}
        assert render(key, language, params) == translated.format_map(defaultdict(lambda: "—", params))


def test_dates_are_written_as_the_persons_language_writes_them() -> None:
    params = {"milestone": "M", "recommendation": "R", "local_government": "LG", "due": "2026-06-30"}
    assert "Jun 30, 2026" in render("milestone_overdue.body", Language.ENGLISH, params)
    assert "30.6.2026" in render("milestone_overdue.body", Language.MACEDONIAN, params)
    assert "30. 6. 2026." in render("milestone_overdue.body", Language.SERBIAN_LATIN, params)


def test_render_fills_the_placeholders_and_falls_back_to_english() -> None:
    params = {"recommendation": "5b0e1a2c", "association": "ZELS"}
    assert render("endorsed.body", Language.MACEDONIAN, params) == (
        "Работната група ја одобри препораката 5b0e1a2c на ZELS."  # noqa: RUF001 - Macedonian
    )
    assert render("endorsed.subject", "xx", params) == "Recommendation 5b0e1a2c endorsed"
    assert "—" in render("endorsed.body", Language.ENGLISH, {})


def test_bosnian_croatian_and_serbian_notices_differ_where_the_languages_do() -> None:
    params = {"recommendation": "R", "association": "A"}
    bodies = {code: render("changes_requested.body", code, params) for code in ("bs", "hr", "sr-Latn")}
    assert "udruge" in bodies["hr"]
    assert "izmjene" in bodies["bs"]
    assert "izmene" in bodies["sr-Latn"]
    assert len(set(bodies.values())) == 3
