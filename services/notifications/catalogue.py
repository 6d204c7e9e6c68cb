"""What each notice says: a subject and a body per notice kind, in English, as the messages of SoRi's catalogues.

The translations are in the same Babel catalogues as the portal's pages (sori/locale), so a person reads their
notices in the language the portal speaks to them.
"""

from collections.abc import Sequence

from sori.i18n import Formats, _, translations, ui_language

NOTICE_TEXTS: dict[str, str] = {
    "changes_requested.subject": _("Changes requested for recommendation {recommendation}"),
    "changes_requested.body": _(
        "The working group has requested changes to recommendation {recommendation} of "
        "{association}. Please revise it and submit it again."
    ),
    "endorsed.subject": _("Recommendation {recommendation} endorsed"),
    "endorsed.body": _("The working group has endorsed recommendation {recommendation} of {association}."),
    "rejected.subject": _("Recommendation {recommendation} rejected"),
    "rejected.body": _("The working group has rejected recommendation {recommendation} of {association}."),
    "implemented.subject": _("Recommendation {recommendation} implemented"),
    "implemented.body": _("All milestones of recommendation {recommendation} of {association} are done."),
    "verified.subject": _("Recommendation {recommendation} verified"),
    "verified.body": _(
        "The working group has verified the implementation of recommendation {recommendation} of {association}."
    ),
    # What the working group wrote follows the body under one of these headings (in the portal too).
    "changes_requested.comments": _("What the working group asks"),
    "rejected.comments": _("Why the working group rejected it"),
    "verified.comments": _("The working group's note"),
    "returned.comments": _("Why the working group returned the implementation"),
    "returned.subject": _("Implementation of recommendation {recommendation} returned"),
    "returned.body": _(
        "The working group has returned the implementation of recommendation {recommendation} of "
        "{association}: its milestones need more work before it can be verified."
    ),
    "milestones_assigned.subject": _("Milestones assigned: recommendation {recommendation}"),
    "milestones_assigned.body": _(
        "{association} has assigned milestones of recommendation {recommendation} to your local government."
    ),
    "draft_idle.subject": _("Draft recommendation {recommendation} is waiting"),
    "draft_idle.body": _(
        "Recommendation {recommendation} of {association} has been a draft since {since}. Please "
        "complete and submit it, or withdraw it."
    ),
    "milestone_due_soon.subject": _("Milestone due soon: {milestone}"),
    "milestone_due_soon.body": _(
        'The milestone "{milestone}" of recommendation {recommendation} ({local_government}) is due on {due}.'
    ),
    "milestone_overdue.subject": _("Milestone overdue: {milestone}"),
    "milestone_overdue.body": _(
        'The milestone "{milestone}" of recommendation {recommendation} '
        "({local_government}) was due on {due} and is not done yet."
    ),
    "milestone_escalated.subject": _("Milestone escalated: {milestone}"),
    "milestone_escalated.body": _(
        'The milestone "{milestone}" of recommendation {recommendation} '
        "({local_government}, {association}) is still not done; it was due on {due}."
    ),
    "review_overdue.subject": _("Review overdue for recommendation {recommendation}"),
    "review_overdue.body": _("The review of recommendation {recommendation} of {association} was due on {due}."),
    "digest.subject": _("SoRi: your notices of {day}"),
    "digest.body": _("This is what happened on {day}:"),
}


DAYS = frozenset({"due", "since", "day"})  # the parameters that are ISO dates, written as the language writes dates


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "—"


def said(kind: str, language: str, comments: Sequence[str]) -> str:
    """What the working group wrote, under its heading, to follow a notice's body; nothing when it wrote nothing.

    The comments are people's own words: they are quoted as they are, never formatted as a message.
    """
    heading = f"{kind}.comments"
    if not comments or heading not in NOTICE_TEXTS:
        return ""
    points = ("• " + words.replace("\n", "\n  ") for words in comments)
    return "\n\n" + "\n".join([render(heading, language, {}), *points])


def render(key: str, language: str, params: dict[str, str]) -> str:
    """The text of one notice part in a language (English where the language is unknown)."""
    code = ui_language(language)
    formats = Formats(code)
    written = {name: formats.date(value) if name in DAYS and value else value for name, value in params.items()}
    return translations(code).gettext(NOTICE_TEXTS[key]).format_map(_Params(written))
