# ruff: noqa: RUF001 - the catalogues are written in Cyrillic as well as Latin letters
"""Message catalogues: a subject and a body per notice kind, in every language SoRi speaks.

Serbian Cyrillic is the Serbian Latin catalogue transliterated letter by letter (the two scripts map one to one),
keeping placeholders and the name SoRi as they are.
"""

import re

from contracts.languages import Language

Catalogue = dict[str, str]

EN: Catalogue = {
    "changes_requested.subject": "Changes requested for recommendation {recommendation}",
    "changes_requested.body": "The working group has requested changes to recommendation {recommendation} of "
    "{association}. Please revise it and submit it again.",
    "endorsed.subject": "Recommendation {recommendation} endorsed",
    "endorsed.body": "The working group has endorsed recommendation {recommendation} of {association}.",
    "rejected.subject": "Recommendation {recommendation} rejected",
    "rejected.body": "The working group has rejected recommendation {recommendation} of {association}.",
    "implemented.subject": "Recommendation {recommendation} implemented",
    "implemented.body": "All milestones of recommendation {recommendation} of {association} are done.",
    "verified.subject": "Recommendation {recommendation} verified",
    "verified.body": "The working group has verified the implementation of recommendation {recommendation} of "
    "{association}.",
    "returned.subject": "Implementation of recommendation {recommendation} returned",
    "returned.body": "The working group has returned the implementation of recommendation {recommendation} of "
    "{association}: its milestones need more work before it can be verified.",
    "milestones_assigned.subject": "Milestones assigned: recommendation {recommendation}",
    "milestones_assigned.body": "{association} has assigned milestones of recommendation {recommendation} to your "
    "local government.",
    "draft_idle.subject": "Draft recommendation {recommendation} is waiting",
    "draft_idle.body": "Recommendation {recommendation} of {association} has been a draft since {since}. Please "
    "complete and submit it, or withdraw it.",
    "milestone_due_soon.subject": "Milestone due soon: {milestone}",
    "milestone_due_soon.body": 'The milestone "{milestone}" of recommendation {recommendation} '
    "({local_government}) is due on {due}.",
    "milestone_overdue.subject": "Milestone overdue: {milestone}",
    "milestone_overdue.body": 'The milestone "{milestone}" of recommendation {recommendation} '
    "({local_government}) was due on {due} and is not done yet.",
    "milestone_escalated.subject": "Milestone escalated: {milestone}",
    "milestone_escalated.body": 'The milestone "{milestone}" of recommendation {recommendation} '
    "({local_government}, {association}) is still not done; it was due on {due}.",
    "review_overdue.subject": "Review overdue for recommendation {recommendation}",
    "review_overdue.body": "The review of recommendation {recommendation} of {association} was due on {due}.",
    "digest.subject": "SoRi: your notices of {day}",
    "digest.body": "This is what happened on {day}:",
}

MK: Catalogue = {
    "changes_requested.subject": "Побарани измени за препораката {recommendation}",
    "changes_requested.body": "Работната група побара измени на препораката {recommendation} на {association}. "
    "Ве молиме ревидирајте ја и поднесете ја повторно.",
    "endorsed.subject": "Препораката {recommendation} е одобрена",
    "endorsed.body": "Работната група ја одобри препораката {recommendation} на {association}.",
    "rejected.subject": "Препораката {recommendation} е одбиена",
    "rejected.body": "Работната група ја одби препораката {recommendation} на {association}.",
    "implemented.subject": "Препораката {recommendation} е спроведена",
    "implemented.body": "Сите етапи на препораката {recommendation} на {association} се завршени.",
    "verified.subject": "Препораката {recommendation} е потврдена",
    "verified.body": "Работната група го потврди спроведувањето на препораката {recommendation} на {association}.",
    "returned.subject": "Спроведувањето на препораката {recommendation} е вратено",
    "returned.body": "Работната група го врати спроведувањето на препораката {recommendation} на {association}: "
    "етапите бараат уште работа пред да може да се потврди.",
    "milestones_assigned.subject": "Доделени етапи: препорака {recommendation}",
    "milestones_assigned.body": "{association} ѝ додели етапи од препораката {recommendation} на вашата "
    "локална самоуправа.",
    "draft_idle.subject": "Нацртот на препораката {recommendation} чека",
    "draft_idle.body": "Препораката {recommendation} на {association} е нацрт од {since}. Ве молиме "
    "дополнете ја и поднесете ја, или повлечете ја.",
    "milestone_due_soon.subject": "Наскоро истекува рокот за етапата: {milestone}",
    "milestone_due_soon.body": "Етапата „{milestone}“ од препораката {recommendation} ({local_government}) "
    "има рок {due}.",
    "milestone_overdue.subject": "Поминат рок за етапата: {milestone}",
    "milestone_overdue.body": "Етапата „{milestone}“ од препораката {recommendation} ({local_government}) "
    "имаше рок {due} и сè уште не е завршена.",
    "milestone_escalated.subject": "Ескалирана етапа: {milestone}",
    "milestone_escalated.body": "Етапата „{milestone}“ од препораката {recommendation} "
    "({local_government}, {association}) сè уште не е завршена; рокот беше {due}.",
    "review_overdue.subject": "Задоцнет преглед на препораката {recommendation}",
    "review_overdue.body": "Прегледот на препораката {recommendation} на {association} требаше да заврши до {due}.",
    "digest.subject": "SoRi: вашите известувања од {day}",
    "digest.body": "Ова се случи на {day}:",
}

SQ: Catalogue = {
    "changes_requested.subject": "Kërkohen ndryshime për rekomandimin {recommendation}",
    "changes_requested.body": "Grupi i punës kërkoi ndryshime në rekomandimin {recommendation} të {association}. "
    "Ju lutemi rishikojeni dhe dorëzojeni përsëri.",
    "endorsed.subject": "Rekomandimi {recommendation} u miratua",
    "endorsed.body": "Grupi i punës miratoi rekomandimin {recommendation} të {association}.",
    "rejected.subject": "Rekomandimi {recommendation} u refuzua",
    "rejected.body": "Grupi i punës refuzoi rekomandimin {recommendation} të {association}.",
    "implemented.subject": "Rekomandimi {recommendation} u zbatua",
    "implemented.body": "Të gjitha etapat e rekomandimit {recommendation} të {association} janë kryer.",
    "verified.subject": "Rekomandimi {recommendation} u verifikua",
    "verified.body": "Grupi i punës verifikoi zbatimin e rekomandimit {recommendation} të {association}.",
    "returned.subject": "Zbatimi i rekomandimit {recommendation} u kthye",
    "returned.body": "Grupi i punës ktheu zbatimin e rekomandimit {recommendation} të {association}: etapat "
    "kërkojnë më shumë punë para se të verifikohet.",
    "milestones_assigned.subject": "Etapa të caktuara: rekomandimi {recommendation}",
    "milestones_assigned.body": "{association} i caktoi etapa të rekomandimit {recommendation} njësisë suaj "
    "të vetëqeverisjes vendore.",
    "draft_idle.subject": "Drafti i rekomandimit {recommendation} është në pritje",
    "draft_idle.body": "Rekomandimi {recommendation} i {association} është draft që nga {since}. Ju lutemi "
    "plotësojeni dhe dorëzojeni, ose tërhiqeni.",
    "milestone_due_soon.subject": "Afati i etapës po afron: {milestone}",
    "milestone_due_soon.body": "Etapa „{milestone}“ e rekomandimit {recommendation} ({local_government}) "
    "ka afat më {due}.",
    "milestone_overdue.subject": "Etapa me afat të kaluar: {milestone}",
    "milestone_overdue.body": "Etapa „{milestone}“ e rekomandimit {recommendation} ({local_government}) "
    "kishte afat më {due} dhe ende nuk është kryer.",
    "milestone_escalated.subject": "Etapa u përshkallëzua: {milestone}",
    "milestone_escalated.body": "Etapa „{milestone}“ e rekomandimit {recommendation} "
    "({local_government}, {association}) ende nuk është kryer; afati ishte më {due}.",
    "review_overdue.subject": "Shqyrtimi i rekomandimit {recommendation} është vonuar",
    "review_overdue.body": "Shqyrtimi i rekomandimit {recommendation} të {association} duhej të përfundonte më {due}.",
    "digest.subject": "SoRi: njoftimet tuaja të {day}",
    "digest.body": "Ja çfarë ndodhi më {day}:",
}

BS: Catalogue = {
    "changes_requested.subject": "Zatražene izmjene preporuke {recommendation}",
    "changes_requested.body": "Radna grupa je zatražila izmjene preporuke {recommendation} udruženja "
    "{association}. Molimo vas da je revidirate i ponovo podnesete.",
    "endorsed.subject": "Preporuka {recommendation} je usvojena",
    "endorsed.body": "Radna grupa je usvojila preporuku {recommendation} udruženja {association}.",
    "rejected.subject": "Preporuka {recommendation} je odbijena",
    "rejected.body": "Radna grupa je odbila preporuku {recommendation} udruženja {association}.",
    "implemented.subject": "Preporuka {recommendation} je provedena",
    "implemented.body": "Sve etape preporuke {recommendation} udruženja {association} su završene.",
    "verified.subject": "Preporuka {recommendation} je potvrđena",
    "verified.body": "Radna grupa je potvrdila provedbu preporuke {recommendation} udruženja {association}.",
    "returned.subject": "Provedba preporuke {recommendation} je vraćena",
    "returned.body": "Radna grupa je vratila provedbu preporuke {recommendation} udruženja {association}: etape "
    "traže još rada prije nego što se može potvrditi.",
    "milestones_assigned.subject": "Dodijeljene etape: preporuka {recommendation}",
    "milestones_assigned.body": "{association} je vašoj lokalnoj samoupravi dodijelilo etape preporuke "
    "{recommendation}.",
    "draft_idle.subject": "Nacrt preporuke {recommendation} čeka",
    "draft_idle.body": "Preporuka {recommendation} udruženja {association} je nacrt od {since}. Molimo vas da je "
    "dovršite i podnesete, ili povučete.",
    "milestone_due_soon.subject": "Uskoro ističe rok etape: {milestone}",
    "milestone_due_soon.body": "Etapa „{milestone}“ preporuke {recommendation} ({local_government}) ima rok {due}.",
    "milestone_overdue.subject": "Istekao rok etape: {milestone}",
    "milestone_overdue.body": "Etapa „{milestone}“ preporuke {recommendation} ({local_government}) imala je "
    "rok {due} i još nije završena.",
    "milestone_escalated.subject": "Eskalirana etapa: {milestone}",
    "milestone_escalated.body": "Etapa „{milestone}“ preporuke {recommendation} ({local_government}, "
    "{association}) još nije završena; rok je bio {due}.",
    "review_overdue.subject": "Kasni pregled preporuke {recommendation}",
    "review_overdue.body": "Pregled preporuke {recommendation} udruženja {association} trebao je biti završen "
    "do {due}.",
    "digest.subject": "SoRi: vaše obavijesti od {day}",
    "digest.body": "Ovo se dogodilo {day}:",
}

HR: Catalogue = {
    "changes_requested.subject": "Zatražene izmjene preporuke {recommendation}",
    "changes_requested.body": "Radna skupina zatražila je izmjene preporuke {recommendation} udruge "
    "{association}. Molimo da je revidirate i ponovno podnesete.",
    "endorsed.subject": "Preporuka {recommendation} je prihvaćena",
    "endorsed.body": "Radna skupina prihvatila je preporuku {recommendation} udruge {association}.",
    "rejected.subject": "Preporuka {recommendation} je odbijena",
    "rejected.body": "Radna skupina odbila je preporuku {recommendation} udruge {association}.",
    "implemented.subject": "Preporuka {recommendation} je provedena",
    "implemented.body": "Sve etape preporuke {recommendation} udruge {association} su završene.",
    "verified.subject": "Preporuka {recommendation} je potvrđena",
    "verified.body": "Radna skupina potvrdila je provedbu preporuke {recommendation} udruge {association}.",
    "returned.subject": "Provedba preporuke {recommendation} je vraćena",
    "returned.body": "Radna skupina vratila je provedbu preporuke {recommendation} udruge {association}: etape "
    "traže još rada prije nego što se može potvrditi.",
    "milestones_assigned.subject": "Dodijeljene etape: preporuka {recommendation}",
    "milestones_assigned.body": "{association} je vašoj lokalnoj samoupravi dodijelila etape preporuke "
    "{recommendation}.",
    "draft_idle.subject": "Nacrt preporuke {recommendation} čeka",
    "draft_idle.body": "Preporuka {recommendation} udruge {association} nacrt je od {since}. Molimo da je "
    "dovršite i podnesete ili povučete.",
    "milestone_due_soon.subject": "Uskoro istječe rok etape: {milestone}",
    "milestone_due_soon.body": "Etapa „{milestone}“ preporuke {recommendation} ({local_government}) ima rok {due}.",
    "milestone_overdue.subject": "Istekao rok etape: {milestone}",
    "milestone_overdue.body": "Etapa „{milestone}“ preporuke {recommendation} ({local_government}) imala je "
    "rok {due} i još nije završena.",
    "milestone_escalated.subject": "Eskalirana etapa: {milestone}",
    "milestone_escalated.body": "Etapa „{milestone}“ preporuke {recommendation} ({local_government}, "
    "{association}) još nije završena; rok je bio {due}.",
    "review_overdue.subject": "Kasni pregled preporuke {recommendation}",
    "review_overdue.body": "Pregled preporuke {recommendation} udruge {association} trebao je završiti do {due}.",
    "digest.subject": "SoRi: vaše obavijesti od {day}",
    "digest.body": "Ovo se dogodilo {day}:",
}

SR_LATN: Catalogue = {
    "changes_requested.subject": "Zatražene izmene preporuke {recommendation}",
    "changes_requested.body": "Radna grupa je zatražila izmene preporuke {recommendation} udruženja "
    "{association}. Molimo vas da je revidirate i ponovo podnesete.",
    "endorsed.subject": "Preporuka {recommendation} je usvojena",
    "endorsed.body": "Radna grupa je usvojila preporuku {recommendation} udruženja {association}.",
    "rejected.subject": "Preporuka {recommendation} je odbijena",
    "rejected.body": "Radna grupa je odbila preporuku {recommendation} udruženja {association}.",
    "implemented.subject": "Preporuka {recommendation} je sprovedena",
    "implemented.body": "Sve etape preporuke {recommendation} udruženja {association} su završene.",
    "verified.subject": "Preporuka {recommendation} je potvrđena",
    "verified.body": "Radna grupa je potvrdila sprovođenje preporuke {recommendation} udruženja {association}.",
    "returned.subject": "Sprovođenje preporuke {recommendation} je vraćeno",
    "returned.body": "Radna grupa je vratila sprovođenje preporuke {recommendation} udruženja {association}: "
    "etape traže još rada pre nego što se može potvrditi.",
    "milestones_assigned.subject": "Dodeljene etape: preporuka {recommendation}",
    "milestones_assigned.body": "{association} je vašoj lokalnoj samoupravi dodelilo etape preporuke {recommendation}.",
    "draft_idle.subject": "Nacrt preporuke {recommendation} čeka",
    "draft_idle.body": "Preporuka {recommendation} udruženja {association} je nacrt od {since}. Molimo vas da je "
    "dovršite i podnesete, ili povučete.",
    "milestone_due_soon.subject": "Uskoro ističe rok etape: {milestone}",
    "milestone_due_soon.body": "Etapa „{milestone}“ preporuke {recommendation} ({local_government}) ima rok {due}.",
    "milestone_overdue.subject": "Istekao rok etape: {milestone}",
    "milestone_overdue.body": "Etapa „{milestone}“ preporuke {recommendation} ({local_government}) imala je "
    "rok {due} i još nije završena.",
    "milestone_escalated.subject": "Eskalirana etapa: {milestone}",
    "milestone_escalated.body": "Etapa „{milestone}“ preporuke {recommendation} ({local_government}, "
    "{association}) još nije završena; rok je bio {due}.",
    "review_overdue.subject": "Kasni pregled preporuke {recommendation}",
    "review_overdue.body": "Pregled preporuke {recommendation} udruženja {association} trebalo je da bude "
    "završen do {due}.",
    "digest.subject": "SoRi: vaša obaveštenja od {day}",
    "digest.body": "Ovo se dogodilo {day}:",
}

_LATIN_TO_CYRILLIC = {
    "dž": "џ", "lj": "љ", "nj": "њ", "Dž": "Џ", "Lj": "Љ", "Nj": "Њ",
    "a": "а", "b": "б", "c": "ц", "č": "ч", "ć": "ћ", "d": "д", "đ": "ђ", "e": "е", "f": "ф", "g": "г", "h": "х",
    "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "š": "ш",
    "t": "т", "u": "у", "v": "в", "z": "з", "ž": "ж",
}  # fmt: skip
_LETTERS = re.compile(
    "|".join(sorted((re.escape(k) for k in _LATIN_TO_CYRILLIC), key=len, reverse=True)), re.IGNORECASE
)
_KEPT = re.compile(r"(\{[a-z_]+\}|SoRi)")


def to_cyrillic(text: str) -> str:
    """Serbian Latin to Serbian Cyrillic; placeholders and the product's name stay as they are."""
    parts = _KEPT.split(text)
    out = []
    for part in parts:
        if _KEPT.fullmatch(part):
            out.append(part)
            continue
        out.append(_LETTERS.sub(lambda m: _case(m.group(0)), part))
    return "".join(out)


def _case(latin: str) -> str:
    lower = _LATIN_TO_CYRILLIC.get(latin) or _LATIN_TO_CYRILLIC[latin.lower()]
    return lower.upper() if latin[0].isupper() and latin not in _LATIN_TO_CYRILLIC else lower


CATALOGUES: dict[Language, Catalogue] = {
    Language.ENGLISH: EN,
    Language.MACEDONIAN: MK,
    Language.ALBANIAN: SQ,
    Language.BOSNIAN: BS,
    Language.CROATIAN: HR,
    Language.SERBIAN_LATIN: SR_LATN,
    Language.SERBIAN_CYRILLIC: {key: to_cyrillic(text) for key, text in SR_LATN.items()},
}


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "—"


def render(key: str, language: Language | str, params: dict[str, str]) -> str:
    """The text of one catalogue entry in a language (English where the language is unknown)."""
    catalogue = CATALOGUES.get(Language(language) if language in set(Language) else Language.ENGLISH, EN)
    return catalogue.get(key, EN[key]).format_map(_Params(params))
