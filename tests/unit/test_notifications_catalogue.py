"""Every notice kind has a subject and a body in every language, none missing or empty, same placeholders."""

import re
import string

import pytest

from contracts.languages import Language
from services.notifications.catalogue import CATALOGUES, EN, render, to_cyrillic
from services.notifications.domain import NoticeKind

KEYS = {f"{kind.value}.{part}" for kind in NoticeKind for part in ("subject", "body")} | {
    "digest.subject",
    "digest.body",
}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_english_catalogue_has_every_key() -> None:
    assert set(EN) == KEYS


@pytest.mark.parametrize("language", list(Language))
def test_every_language_has_every_key_with_text_and_the_same_placeholders(language: Language) -> None:
    catalogue = CATALOGUES[language]
    assert set(catalogue) == KEYS
    for key, text in catalogue.items():
        assert text.strip(), f"{language}: {key} is empty"
        assert placeholders(text) == placeholders(EN[key]), f"{language}: {key}"
        if language is not Language.ENGLISH and key != "digest.subject":
            assert text != EN[key], f"{language}: {key} is not translated"


def test_serbian_cyrillic_is_the_latin_text_transliterated() -> None:
    assert to_cyrillic("Ljubljana, Njegoš, džep, {milestone}, SoRi") == "Љубљана, Његош, џеп, {milestone}, SoRi"
    for key, text in CATALOGUES[Language.SERBIAN_CYRILLIC].items():
        assert not re.search("[A-Za-z]", re.sub(r"\{[a-z_]+\}|SoRi", "", text)), key


def test_render_fills_the_placeholders_and_falls_back_to_english() -> None:
    params = {"recommendation": "5b0e1a2c", "association": "ZELS"}
    assert render("endorsed.body", Language.MACEDONIAN, params) == (
        "Работната група ја одобри препораката 5b0e1a2c на ZELS."  # noqa: RUF001 - Macedonian
    )
    assert render("endorsed.subject", "xx", params) == "Recommendation 5b0e1a2c endorsed"
    assert "—" in render("endorsed.body", Language.ENGLISH, {})
