"""The report's own words, per language it is written in (English so far; the portal's catalogues are separate)."""

from contracts.languages import Language
from contracts.lifecycle import RecommendationStatus

ENGLISH: dict[str, str] = {
    "title": "SoRi regional progress report",
    "period": "Period",
    "generated": "Figures as of",
    "nothing": "None.",
    "key_figures": "Key figures",
    "recommendations": "Recommendations",
    "implemented_percent": "Implemented or verified",
    "verified_percent": "Verified",
    "overdue_reviews": "Overdue reviews",
    "overdue_milestones": "Overdue milestones",
    "participants": "Participants in actions",
    "women_and_girls": "Social approaches marked for women and girls",
    "target": "target",
    "met": "met",
    "not_met": "not met",
    "funnel": "Recommendations by status",
    "by_programme": "By programme",
    "by_economy": "By economy",
    "by_association": "By association",
    "changes": "Recommendations that changed state in the period",
    "milestones_by_lg": "Milestones by local government",
    "participants_by_sex": "Participants by sex",
    "participants_by_organisation_type": "Participants by organisation type",
    "programme": "Programme",
    "economy": "Economy",
    "sex": "Sex",
    "organisation_type": "Organisation type",
    "total": "Total",
    "count": "Count",
    "when": "When",
    "code": "Code",
    "recommendation": "Recommendation",
    "association": "Association",
    "change": "Change",
    "local_government": "Local government",
    "milestone": "Milestone",
    "due_date": "Due",
    "planned": "Planned",
    "due": "Due",
    "reported": "Reported",
    "done": "Done",
    "overdue": "Overdue",
    "status": "Status",
    "submitted": "Submitted",
    "new": "new",
    "moves": "moves",
}

STATUS_NAMES: dict[RecommendationStatus, str] = {
    status: status.value.replace("_", " ") for status in RecommendationStatus
}

LABELS: dict[Language, dict[str, str]] = {Language.ENGLISH: ENGLISH}
