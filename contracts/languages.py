"""Languages SoRi's texts are written in and its UI speaks (BCP 47 tags)."""

from enum import StrEnum


class Language(StrEnum):
    ENGLISH = "en"
    MACEDONIAN = "mk"
    ALBANIAN = "sq"
    BOSNIAN = "bs"
    CROATIAN = "hr"
    SERBIAN_LATIN = "sr-Latn"
    SERBIAN_CYRILLIC = "sr-Cyrl"
