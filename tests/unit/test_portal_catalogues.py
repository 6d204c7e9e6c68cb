"""Every message the portal shows, in its templates and its code, is translated in every language."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from services.progress.portal.i18n import DEFAULT, LANGUAGES, LOCALE_DIR, translations

PORTAL = LOCALE_DIR.parent
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def extracted() -> set[str | tuple[str, ...]]:
    """What `pybabel extract -F babel.cfg` finds: the msgids the portal asks for."""
    with (PORTAL / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    found = extract_from_dir(PORTAL, method_map, options_map)
    return {message if isinstance(message, str) else tuple(message) for _, _, message, _, _ in found}


def catalogue(language: str) -> dict[str | tuple[str, ...], object]:
    with (LOCALE_DIR / LANGUAGES[language].babel_locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        parsed = read_po(po)
    fuzzy = [m.id for m in parsed if m.id and m.fuzzy]
    assert not fuzzy, f"{language}: fuzzy translations {fuzzy}"
    return {m.id if isinstance(m.id, str) else tuple(m.id): m.string for m in parsed if m.id}


def test_the_portal_has_messages_to_translate() -> None:
    assert len(extracted()) > 150


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != DEFAULT])
def test_every_message_is_translated_without_gaps(language: str) -> None:
    wanted = extracted()
    translated = catalogue(language)
    missing = sorted(map(str, wanted - translated.keys()))
    assert not missing, f"{language} lacks {missing}"
    for message in wanted:
        strings = translated[message]
        forms = list(strings) if isinstance(strings, tuple | list) else [strings]
        assert all(forms), f"{language}: empty translation of {message!r}"
        original = message if isinstance(message, str) else message[0]
        for form in forms:
            assert sorted(PLACEHOLDER.findall(str(form))) == sorted(PLACEHOLDER.findall(original)), (language, form)


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != DEFAULT])
def test_the_catalogue_compiles_in_memory(language: str) -> None:
    assert translations(language).gettext("Sign in") != "Sign in"


def test_serbian_cyrillic_is_the_latin_catalogue_transliterated() -> None:
    latin, cyrillic = catalogue("sr-Latn"), catalogue("sr-Cyrl")
    assert latin.keys() == cyrillic.keys()
    assert cyrillic["Sign in"] == "Пријава"
    assert latin["Sign in"] == "Prijava"
    letters = re.compile(r"[a-zčćđšž]", re.IGNORECASE)
    for message, text in cyrillic.items():
        bare = PLACEHOLDER.sub("", str(text)).replace("SoRi", "").replace("sori up", "")
        assert not letters.search(re.sub(r"\b[A-Z]{2,}\b", "", bare)), (message, text)


def test_no_compiled_catalogue_is_kept_in_the_tree() -> None:
    assert not list(Path(LOCALE_DIR).rglob("*.mo"))
