"""Every message SoRi shows people, in the portal's templates and code and in the notices, is translated in every
language."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from sori.cyrillic import to_cyrillic
from sori.i18n import DEFAULT, LANGUAGES, LOCALE_DIR, translations

ROOT = Path(__file__).parents[2]
SPEAKING = (ROOT / "services/progress/portal", ROOT / "services/notifications")  # as README's pybabel extract
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def extracted() -> set[str | tuple[str, ...]]:
    """What `pybabel extract -F sori/locale/babel.cfg` finds: the msgids the portal and the notices ask for."""
    with (LOCALE_DIR / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    found = (extract_from_dir(folder, method_map, options_map) for folder in SPEAKING)
    return {message if isinstance(message, str) else tuple(message) for each in found for _, _, message, _, _ in each}


def catalogue(language: str) -> dict[str | tuple[str, ...], object]:
    with (LOCALE_DIR / LANGUAGES[language].babel_locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        parsed = read_po(po)
    fuzzy = [m.id for m in parsed if m.id and m.fuzzy]
    assert not fuzzy, f"{language}: fuzzy translations {fuzzy}"
    return {m.id if isinstance(m.id, str) else tuple(m.id): m.string for m in parsed if m.id}


def test_the_portal_and_the_notices_have_messages_to_translate() -> None:
    messages = extracted()
    assert len(messages) > 150
    assert "Sign in" in messages
    assert "Recommendation {recommendation} endorsed" in messages


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
        forms = latin[message]
        expected = tuple(map(to_cyrillic, forms)) if isinstance(forms, tuple | list) else to_cyrillic(str(forms))
        assert (tuple(text) if isinstance(text, tuple | list) else text) == expected, "run python -m sori.cyrillic"
        bare = PLACEHOLDER.sub("", str(text)).replace("SoRi", "").replace("sori up", "")
        assert not letters.search(re.sub(r"\b[A-Z][A-Z0-9]+\b", "", bare)), (message, text)


def test_transliteration_keeps_placeholders_names_acronyms_and_commands() -> None:
    assert to_cyrillic("Ljubljana, Njegoš, džep, {milestone}, SoRi") == "Љубљана, Његош, џеп, {milestone}, SoRi"
    assert to_cyrillic("%(count)d etapa u PDF-u; sori up") == "%(count)d етапа у PDF-у; sori up"  # noqa: RUF001


def test_no_compiled_catalogue_is_kept_in_the_tree() -> None:
    assert not list(Path(LOCALE_DIR).rglob("*.mo"))
