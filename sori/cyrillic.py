# ruff: noqa: RUF001 - the table maps Latin letters to Cyrillic ones
"""Serbian Latin to Serbian Cyrillic, letter by letter (the two scripts map one to one).

The Serbian Cyrillic catalogue is the Latin one transliterated: `python -m sori.cyrillic` writes it again after the
Latin catalogue changed.
"""

import re
import sys

from babel.messages.pofile import read_po, write_po

from sori.i18n import LANGUAGES, LOCALE_DIR

_LATIN_TO_CYRILLIC = {
    "dž": "џ", "lj": "љ", "nj": "њ", "Dž": "Џ", "Lj": "Љ", "Nj": "Њ",
    "a": "а", "b": "б", "c": "ц", "č": "ч", "ć": "ћ", "d": "д", "đ": "ђ", "e": "е", "f": "ф", "g": "г", "h": "х",
    "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "š": "ш",
    "t": "т", "u": "у", "v": "в", "z": "з", "ž": "ж",
}  # fmt: skip
_LETTERS = re.compile(
    "|".join(sorted((re.escape(k) for k in _LATIN_TO_CYRILLIC), key=len, reverse=True)), re.IGNORECASE
)
# Placeholders, names, acronyms (PDF, NALAS) and the commands a person types stay in Latin letters.
_KEPT = re.compile(r"(\{[a-z_]+\}|%\(\w+\)[sd]|SoRi|sori up|\b[A-Z][A-Z0-9]+\b)")


def to_cyrillic(text: str) -> str:
    """Serbian Latin to Serbian Cyrillic, but for what `_KEPT` keeps."""
    out = []
    for part in _KEPT.split(text):
        out.append(part if _KEPT.fullmatch(part) else _LETTERS.sub(lambda m: _case(m.group(0)), part))
    return "".join(out)


def _case(latin: str) -> str:
    lower = _LATIN_TO_CYRILLIC.get(latin) or _LATIN_TO_CYRILLIC[latin.lower()]
    return lower.upper() if latin[0].isupper() and latin not in _LATIN_TO_CYRILLIC else lower


def write_cyrillic_catalogue() -> int:
    """sr_Cyrl/messages.po from sr_Latn/messages.po; answers how many messages it wrote."""
    latin_path = LOCALE_DIR / LANGUAGES["sr-Latn"].babel_locale / "LC_MESSAGES" / "messages.po"
    with latin_path.open("rb") as po:
        catalogue = read_po(po, locale="sr_Latn")
    catalogue.locale = "sr_Cyrl"
    catalogue.language_team = "sr_Cyrl"
    catalogue.header_comment = catalogue.header_comment.replace("sr_Latn", "sr_Cyrl")
    for message in catalogue:
        if message.id:
            message.string = (
                tuple(map(to_cyrillic, message.string))
                if isinstance(message.string, tuple | list)
                else to_cyrillic(message.string or "")
            )
    with (LOCALE_DIR / LANGUAGES["sr-Cyrl"].babel_locale / "LC_MESSAGES" / "messages.po").open("wb") as po:
        write_po(po, catalogue, width=120, omit_header=False)
    return len(catalogue)


if __name__ == "__main__":
    sys.stdout.write(f"{write_cyrillic_catalogue()} messages written\n")
