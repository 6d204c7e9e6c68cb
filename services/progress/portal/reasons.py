"""A service's refusal in the person's language: the portal words each reason the services name by a code, invalid
input field by field, and any other refusal by its kind; never the service's English, never an id."""

from collections.abc import Callable, Mapping
from typing import Any

from services.progress.portal import labels
from services.progress.portal.client import ApiRefused
from sori.i18n import Formats, _

Gettext = Callable[[str], str]

# Each reason a service names by its code, worded with the params it gives (statuses and dates as the page says them).
BY_CODE = {
    "roadmap_exists": _("%(association)s already has a roadmap for %(programme)s."),
    "programme_ended": _("The programme %(programme)s ended on %(ends_on)s: choose a programme that is running."),
    "wrong_status": _("This recommendation is %(status)s; this can be done only when it is %(allowed)s."),
    "revision_changes_nothing": _("The revision changes nothing: change at least one field."),
    "due_in_past": _("The due date %(due_date)s is in the past."),
    "changes_need_comment": _("Requesting changes needs at least one comment saying which."),
    "rejection_needs_reason": _("A rejection needs a reason."),
    "return_needs_reason": _("Returning an implementation needs at least one reason."),
    "done_needs_evidence": _("A report that says done needs at least one evidence file."),
    "done_needs_indicators": _("A report that says done gives every indicator of the plan; missing: %(indicators)s."),
    "sheet_missing_columns": _("The sheet lacks these columns: %(columns)s. Start from the template."),
    "sheet_unknown_columns": _("The sheet has columns the import does not know: %(columns)s. Start from the template."),
    "sheet_has_problems": _("Nothing was imported: row %(row)s, column %(column)s has a problem."),
}
BY_STATUS = {
    400: _("The request was not understood."),
    401: _("Your sign-in is no longer valid. Please sign in again."),
    403: _("This is not allowed for your role or organisation."),
    404: _("What you asked for was not found."),
    409: _("This is not possible in its current state."),
    413: _("The file is too large."),
    415: _("This type of file is not accepted."),
    422: _("Some of what was entered is not valid."),
}
UNREACHABLE = _("A part of SoRi cannot be reached at the moment. Please try again shortly.")
BY_INPUT_ERROR = {
    "missing": _("required"),
    "string_too_short": _("required"),
    "string_too_long": _("too long"),
}
NOT_VALID = _("not valid")
FIELD_NAMES: Mapping[str, str] = {
    **labels.FIELDS,
    "reason": _("Reason"),
    "body": _("Your comment"),
    "narrative": _("What was done"),
    "due_date": _("Due date"),
    "organisation": _("Organisation"),
    "comments": _("Comments for the association (one per line)"),
    "programme": _("Programme"),
}
STATUS_PARAMS = ("status", "allowed")
DATE_PARAMS = ("ends_on", "due_date")


def say(refused: ApiRefused, gettext: Gettext, fmt: Formats) -> str:
    if refused.code in BY_CODE:
        return gettext(BY_CODE[refused.code]) % _worded(refused.params, gettext, fmt)
    if refused.invalid and all(_field(error) in FIELD_NAMES for error in refused.invalid):
        return "; ".join(_invalid(error, gettext) for error in refused.invalid)
    return gettext(BY_STATUS.get(refused.status, UNREACHABLE))


class _Worded(dict[str, str]):
    def __missing__(self, _name: str) -> str:
        return "—"  # a service that names fewer params than the message asks for still gets its sentence


def _worded(params: Mapping[str, Any], gettext: Gettext, fmt: Formats) -> _Worded:
    """Every param as the page says it (a status in words, a date in the language's form)."""
    worded = _Worded({name: str(value) for name, value in params.items()})
    for name in STATUS_PARAMS:
        if name in params:
            codes = str(params[name]).split(",")
            worded[name] = " / ".join(gettext(labels.STATUSES.get(code, code)) for code in codes)
    for name in DATE_PARAMS:
        if name in params:
            worded[name] = fmt.date(str(params[name]))
    return worded


def _field(error: Mapping[str, Any]) -> str:
    names = [part for part in error.get("loc", []) if isinstance(part, str) and part != "body"]
    return names[-1] if names else ""


def _invalid(error: Mapping[str, Any], gettext: Gettext) -> str:
    problem = BY_INPUT_ERROR.get(str(error.get("type")), NOT_VALID)
    return f"{gettext(FIELD_NAMES[_field(error)])}: {gettext(problem)}"
