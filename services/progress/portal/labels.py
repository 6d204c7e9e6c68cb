"""Names of the services' codes (statuses, roles, choices) in words the page translates."""

from sori.i18n import _

STATUSES = {
    "drafted": _("Drafted"),
    "submitted": _("Submitted"),
    "under_review": _("Under review"),
    "changes_requested": _("Changes requested"),
    "endorsed": _("Endorsed"),
    "rejected": _("Rejected"),
    "in_implementation": _("In implementation"),
    "implemented": _("Implemented"),
    "verified": _("Verified"),
    "withdrawn": _("Withdrawn"),
}
ROLES = {
    "nalas": _("NALAS working group"),
    "lga": _("Association"),
    "lg": _("Local government"),
    "observer": _("Observer"),
}
DECISIONS = {"endorse": _("Endorse"), "request_changes": _("Request changes"), "reject": _("Reject")}
VERIFICATIONS = {"verify": _("Verify"), "return": _("Return to implementation")}
PROGRESS = {"on_track": _("On track"), "at_risk": _("At risk"), "done": _("Done")}
SEXES = {"female": _("Female"), "male": _("Male"), "other_undisclosed": _("Other or undisclosed")}
ORGANISATION_TYPES = {
    "lga": _("Association"),
    "local_government": _("Local government"),
    "central_government": _("Central government"),
    "csp_ngo": _("Civil society"),
    "international": _("International organisation"),
    "other": _("Other"),
}
AGE_BANDS = {"under-18": "<18", "18-29": "18-29", "30-44": "30-44", "45-64": "45-64", "65+": "65+"}
ACTION_KINDS = {
    "training_cycle": _("Training cycle"),
    "e_learning_course": _("E-learning course"),
    "training_learning_cluster": _("Training and learning cluster"),
    "study_visit": _("Study visit"),
    "regional_conference": _("Regional conference"),
    "wg_meeting": _("Working group meeting"),
}
TEXT_LANGUAGES = {
    "en": "English",
    "mk": "Македонски",
    "sq": "Shqip",
    "bs": "Bosanski",
    "hr": "Hrvatski",
    "sr-Latn": "Srpski",
    "sr-Cyrl": "Српски",
}
FIELDS = {
    "title": _("Title"),
    "problem_statement": _("Problem statement"),
    "evidence": _("Evidence"),
    "proposed_measures": _("Proposed measures"),
}
