"""The languages SoRi speaks to people: one set of Babel catalogues for the portal's pages and for the notices
people get by mail and in their inbox, read from the .po files at start-up, and per-locale formatting."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT = "en"


@dataclass(frozen=True)
class UiLanguage:
    code: str  # as the cookie and the `lang` attribute name it (BCP 47)
    babel_locale: str  # as Babel and the catalogue's folder name it
    name: str  # in its own language, so that a person finds theirs whatever the page speaks
    # The project's own date pattern, where the exact form matters more than what the installed CLDR release says
    # (README, "Dates"); None takes CLDR's medium date through Babel.
    date_pattern: str | None = None


# Day, month and year in figures, as public administrations of the region write them.
DOTTED = "d.M.yyyy"  # Macedonian and Albanian: 30.6.2027
SPACED = "d. M. yyyy."  # Bosnian, Croatian and Serbian: 30. 6. 2027.

LANGUAGES: dict[str, UiLanguage] = {
    language.code: language
    for language in (
        UiLanguage("en", "en", "English"),
        UiLanguage("mk", "mk", "Македонски", DOTTED),
        UiLanguage("sq", "sq", "Shqip", DOTTED),
        UiLanguage("bs", "bs", "Bosanski", SPACED),
        UiLanguage("hr", "hr", "Hrvatski", SPACED),
        UiLanguage("sr-Latn", "sr_Latn", "Srpski (latinica)", SPACED),
        UiLanguage("sr-Cyrl", "sr_Cyrl", "Српски (ћирилица)", SPACED),
    )
}
# A browser may ask for Serbian without naming the script: it gets the Latin catalogue.
ALIASES = {"sr": "sr-Latn"}


def _(message: str) -> str:
    """Marks a message for extraction; the page or the notice translates it when it renders."""
    return message


def ui_language(code: str | None) -> str:
    """The catalogue for a requested language code; anything unknown falls back to English."""
    if not code:
        return DEFAULT
    code = ALIASES.get(code, code)
    return code if code in LANGUAGES else DEFAULT


@cache
def translations(code: str) -> Translations:
    """The catalogue compiled in memory: only the .po text lives in git."""
    if code == DEFAULT:
        return Translations()
    path = LOCALE_DIR / LANGUAGES[code].babel_locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        catalog = read_po(po, locale=LANGUAGES[code].babel_locale)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


@dataclass(frozen=True)
class Formats:
    """Dates and numbers as the person's language writes them."""

    code: str

    @property
    def locale(self) -> Locale:
        return Locale.parse(LANGUAGES[self.code].babel_locale)

    @property
    def date_pattern(self) -> str | None:
        return LANGUAGES[self.code].date_pattern

    def date(self, value: date | str | None) -> str:
        if not value:
            return "—"
        parsed = date.fromisoformat(value[:10]) if isinstance(value, str) else value
        return format_date(parsed, format=self.date_pattern or "medium", locale=self.locale)

    def moment(self, value: datetime | str | None) -> str:
        if not value:
            return "—"
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
        pattern = f"{self.date_pattern} HH:mm" if self.date_pattern else "short"
        return format_datetime(parsed, format=pattern, locale=self.locale)

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=self.locale)

    def percent(self, fraction: float) -> str:
        return format_percent(fraction, format="#,##0.#%", locale=self.locale)
