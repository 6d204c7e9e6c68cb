"""Every reason the services name by a code, the portal words in every language, from the params the rule gives:
no English, no id, no gap."""

from collections.abc import Callable
from datetime import date
from uuid import uuid4

import pytest

from contracts.envelope import Actor, Role
from contracts.lifecycle import RecommendationStatus as S
from contracts.roadmaps import PlannedMilestone
from contracts.social_approaches import MilestoneProgress
from services.progress.portal.client import ApiRefused
from services.progress.portal.reasons import BY_CODE, say
from services.roadmaps import domain as roadmaps
from services.social_approaches import domain as social_approaches
from services.working_group.domain import reviews as working_group
from sori.errors import CommandRefused
from sori.i18n import LANGUAGES, Formats, translations

pytestmark = pytest.mark.unit

ZELS = Actor(sub="ana", org="ZELS", role=Role.LGA)
NALAS = Actor(sub="wg", org="NALAS", role=Role.NALAS)
REC = uuid4()
UNDER_REVIEW = working_group.Standing(recommendation_id=REC, status=S.UNDER_REVIEW, version=1)
SUBMITTED = working_group.Standing(recommendation_id=REC, status=S.SUBMITTED, version=1)
LATE = PlannedMilestone(milestone_id=uuid4(), title="Unit opens", due_date=date(2025, 1, 1), local_government="MK-A")


def decide(decision: str, standing: working_group.Standing = UNDER_REVIEW, comments: tuple[str, ...] = ()) -> object:
    return working_group.decide(
        NALAS, standing, recommendation_id=REC, may_decide=True, decision=decision, comments=comments, reason="",
        meeting_id=None,
    )  # fmt: skip


def assign_late() -> object:
    return roadmaps.assign(
        ZELS, association="ZELS", recommendation_id=REC, status=S.ENDORSED, local_governments=["MK-A"],
        milestones=[LATE], associations_local_governments=["MK-A"], today=date(2026, 1, 1),
    )  # fmt: skip


RULES: dict[str, Callable[[], object]] = {
    "roadmap exists": lambda: roadmaps.require_first_roadmap("ZELS", "SoRi 4", uuid4()),
    "programme ended": lambda: roadmaps.require_running("SoRi 3", date(2025, 11, 30), date(2026, 1, 1)),
    "submitted twice": lambda: roadmaps.submit(
        ZELS, association="ZELS", recommendation_id=REC, status=S.ENDORSED, version=1
    ),
    "empty revision": lambda: roadmaps.revise(
        ZELS, association="ZELS", recommendation_id=REC, status=S.DRAFTED, version=1, changed=[]
    ),
    "late milestone": assign_late,
    "decided before review": lambda: decide("endorse", SUBMITTED, ("Fine.",)),
    "changes without comment": lambda: decide("request_changes"),
    "rejection without reason": lambda: decide("reject"),
    "return without reason": lambda: working_group.verify(
        NALAS, None, recommendation_id=REC, may_decide=True, outcome="return", note="", reasons=[]
    ),
    "reported before endorsed": lambda: social_approaches.require_reportable(S.DRAFTED),
    "done without evidence": lambda: social_approaches.check_report(MilestoneProgress.DONE, [], [], 0),
    "done without indicators": lambda: social_approaches.check_report(MilestoneProgress.DONE, [], ["places"], 1),
}


@pytest.mark.parametrize("rule", RULES)
def test_a_coded_refusal_is_worded_in_every_language_without_the_services_english(rule: str) -> None:
    with pytest.raises(CommandRefused) as raised:
        RULES[rule]()
    refused = raised.value
    assert refused.code in BY_CODE, f"{rule}: the portal has no words for {refused.code!r}"
    answer = refused.answer()
    as_the_portal_hears = ApiRefused(refused.kind.value, answer["detail"], answer["code"], answer["params"])
    for language in LANGUAGES:
        said = say(as_the_portal_hears, translations(language).gettext, Formats(language))
        assert refused.reason not in said
        assert "—" not in said, f"{rule}: a param the message names is missing: {said}"
        assert str(REC) not in said
