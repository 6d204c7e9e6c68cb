"""Progress' story: the facts of one recommendation's life as its producers publish them, delivered to the read
model in any order, and what the dashboard must show once they are in."""

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from contracts.envelope import Actor, Envelope, EventPayload, Role, new_event
from contracts.languages import Language
from contracts.lifecycle import MilestoneOverdue, MilestonesPlanned, ReviewOverdue, StatusChanged
from contracts.lifecycle import RecommendationStatus as S
from contracts.roadmaps import (
    PlannedMilestone,
    RecommendationAssigned,
    RecommendationDrafted,
    RecommendationSubmitted,
    ReferenceEntryChanged,
)
from contracts.social_approaches import ApproachStatus, ApproachStatusChanged, EvidenceReference, MilestoneReported
from contracts.working_group import ActionHeld, ActionKind, ActionPlanned, OrganisationType, ParticipantCounts, Sex
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens

REC = UUID("00000000-0000-4000-8000-000000000001")

KUMANOVO_MILESTONE = UUID("00000000-0000-4000-8000-0000000000a1")

STRUMICA_MILESTONE = UUID("00000000-0000-4000-8000-0000000000a2")

ACTION = UUID("00000000-0000-4000-8000-0000000000b1")

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

DUE = date(2026, 6, 30)

ZELS = Actor(sub="lga@ZELS", org="ZELS", role=Role.LGA)
NALAS = Actor(sub="nalas@NALAS", org="NALAS", role=Role.NALAS)


class Story:
    """One recommendation's events with explicit times, each a minute after the one before."""

    def __init__(self, rec: UUID) -> None:
        self.rec = rec
        self.events: list[Envelope] = []

    def add(self, payload: EventPayload, actor: Actor = ZELS) -> datetime:
        at = T0 + timedelta(minutes=len(self.events))
        self.events.append(new_event(payload, subject=str(self.rec), actor=actor, source="test", time=at))
        return at

    def moved(self, before: S | None, after: S) -> datetime:
        payload = StatusChanged(
            recommendation_id=self.rec,
            from_status=before,
            to_status=after,
            cause_event_id=uuid4(),
            cause_event_type="sori.test.cause.v1",
            association="ZELS",
        )
        return self.add(payload)


def plan(kumanovo: UUID, strumica: UUID) -> list[PlannedMilestone]:
    return [
        PlannedMilestone(milestone_id=kumanovo, title="Opens", due_date=DUE, local_government="MK-KUMANOVO"),
        PlannedMilestone(milestone_id=strumica, title="Opens", due_date=DUE, local_government="MK-STRUMICA"),
    ]


def approach(marked: bool, lg: str) -> ApproachStatusChanged:
    return ApproachStatusChanged(
        approach_id=uuid4(),
        local_government=lg,
        association="ZELS",
        approach_type="mobile_outreach_team",
        women_and_girls=marked,
        from_status=None,
        to_status=ApproachStatus.PLANNED,
        beneficiaries_planned=40,
        beneficiaries_reached=0,
    )


def story(
    rec: UUID = REC, kumanovo: UUID = KUMANOVO_MILESTONE, strumica: UUID = STRUMICA_MILESTONE, action: UUID = ACTION
) -> tuple[Story, dict[str, datetime]]:
    """Twenty-one events of every topic: drafted to in implementation, milestones reported and overdue, an action
    held, four social approaches (one marked women-and-girls), and last the association's economy (as it happens,
    the rows are projected before their economy is known)."""
    s, at = Story(rec), {}
    milestones = plan(kumanovo, strumica)
    s.add(
        RecommendationDrafted(
            recommendation_id=rec,
            roadmap_id=uuid4(),
            association="ZELS",
            code="ZELS-2026-01",
            title="Day care",
            language=Language("en"),
            version=1,
            programme="SoRi 3",
        )
    )
    s.moved(None, S.DRAFTED)
    s.add(RecommendationSubmitted(recommendation_id=rec, association="ZELS", version=1))
    at["submitted"] = s.moved(S.DRAFTED, S.SUBMITTED)
    s.add(ReviewOverdue(recommendation_id=rec, association="ZELS", submitted_at=T0, due_at=T0))
    at["under_review"] = s.moved(S.SUBMITTED, S.UNDER_REVIEW)
    at["endorsed"] = s.moved(S.UNDER_REVIEW, S.ENDORSED)
    lgs = ["MK-STRUMICA", "MK-KUMANOVO"]
    s.add(
        RecommendationAssigned(recommendation_id=rec, association="ZELS", local_governments=lgs, milestones=milestones)
    )
    s.moved(S.ENDORSED, S.IN_IMPLEMENTATION)
    s.add(MilestonesPlanned(recommendation_id=rec, association="ZELS", milestones=milestones))
    for milestone in milestones:
        clock = {**milestone.model_dump(exclude={"indicators"}), "recommendation_id": rec, "association": "ZELS"}
        s.add(MilestoneOverdue.model_validate(clock))
    evidence = [EvidenceReference(evidence_id=uuid4(), name=f"photo-{n}.jpg") for n in range(2)]
    s.add(report(rec, kumanovo, "on_track", []))
    s.add(report(rec, kumanovo, "done", evidence))
    s.add(ActionPlanned(**{**ACTION_PLAN, "action_id": action}))
    counts = ParticipantCounts(
        participants=5,
        attended=4,
        participants_by_sex={Sex.FEMALE: 3, Sex.MALE: 2},
        participants_by_organisation_type={OrganisationType.LOCAL_GOVERNMENT: 5},
    )
    s.add(ActionHeld(action_id=action, kind=ActionKind.TRAINING_CYCLE, sessions=3, counts=counts))
    for n in range(4):
        s.add(approach(marked=n == 0, lg="MK-KUMANOVO"))
    s.add(ReferenceEntryChanged(kind="associations", code="ZELS", economy="MK"), actor=NALAS)
    return s, at


ACTION_PLAN: dict[str, Any] = {
    "action_id": ACTION,
    "kind": ActionKind.TRAINING_CYCLE,
    "title": "Training cycle",
    "starts_on": date(2026, 4, 1),
    "ends_on": date(2026, 4, 30),
    "online": False,
    "language": Language("mk"),
}


def report(rec: UUID, milestone: UUID, status: str, evidence: list[EvidenceReference]) -> MilestoneReported:
    return MilestoneReported.model_validate(
        {
            "recommendation_id": rec,
            "milestone_id": milestone,
            "report_id": uuid4(),
            "local_government": "MK-KUMANOVO",
            "status": status,
            "evidence": evidence,
        }
    )


async def deliver_all(progress: ServiceUnderTest, events: list[Envelope]) -> None:
    for event in events:
        await progress.deliver(event.data.TOPIC, event.to_json())


async def get(progress: ServiceUnderTest, tokens: Tokens, path: str, **params: Any) -> Any:
    response = await progress.http.get(path, params=params, headers=tokens.header(Role.OBSERVER, "OBSERVER"))
    assert response.status_code == 200, response.text
    return response.json()


def delivery_orders() -> list[str]:
    return ["as they happened", "reversed", "shuffled, each twice"]


def in_order(events: list[Envelope], order: str) -> list[Envelope]:
    if order == "reversed":
        return events[::-1]
    if order == "shuffled, each twice":
        twice = events * 2
        random.Random(7).shuffle(twice)
        return twice
    return events


async def assert_the_story_is_projected(progress: ServiceUnderTest, tokens: Tokens, at: dict[str, datetime]) -> None:
    """What every read shows once the whole story has been applied, in whatever order."""
    rec = await get(progress, tokens, f"/progress/v1/recommendations/{REC}")
    assert (rec["status"], rec["code"], rec["association"], rec["economy"]) == (
        "in_implementation",
        "ZELS-2026-01",
        "ZELS",
        "MK",
    )
    assert (rec["programme"], rec["title"], rec["language"], rec["version"]) == ("SoRi 3", "Day care", "en", 1)
    assert rec["submitted_at"] == at["submitted"].isoformat().replace("+00:00", "Z")
    assert rec["decided_at"] == at["endorsed"].isoformat().replace("+00:00", "Z")
    assert rec["local_governments"] == ["MK-KUMANOVO", "MK-STRUMICA"]
    assert rec["review_overdue"] is False, "decided since the review clock rang"

    milestones = {m["local_government"]: m for m in (await get(progress, tokens, "/progress/v1/milestones"))["items"]}
    kumanovo, strumica = milestones["MK-KUMANOVO"], milestones["MK-STRUMICA"]
    assert (kumanovo["report_status"], kumanovo["reports"], kumanovo["evidence_count"]) == ("done", 2, 2)
    assert (kumanovo["overdue"], strumica["overdue"]) == (False, True), "done clears overdue"
    assert (strumica["title"], strumica["due_date"], strumica["report_status"]) == ("Opens", "2026-06-30", None)

    [action] = (await get(progress, tokens, "/progress/v1/actions"))["items"]
    assert (action["title"], action["stage"], action["sessions"], action["participants"]) == (
        "Training cycle",
        "held",
        3,
        5,
    )
    assert action["participants_by_sex"] == {"female": 3, "male": 2}

    board = await get(progress, tokens, "/progress/v1/dashboard")
    assert board["totals"]["by_status"]["in_implementation"] == 1
    assert [f["key"] for f in board["by_economy"]] == ["MK"]
    assert [m["milestone_id"] for m in board["overdue_milestones"]] == [str(STRUMICA_MILESTONE)]
    by_lg = {row["local_government"]: row for row in board["milestones_by_local_government"]}
    assert (by_lg["MK-KUMANOVO"]["reported"], by_lg["MK-KUMANOVO"]["done"], by_lg["MK-STRUMICA"]["overdue"]) == (
        1,
        1,
        1,
    )
    assert board["participants"]["by_organisation_type"] == {"local_government": 5}
    assert board["social_approaches"] == {
        "approaches": 4,
        "marked": 1,
        "marked_percent": 25.0,
        "target_percent": 20.0,
        "target_met": True,
    }


REPORTS = "/progress/v1/reports"


async def order(progress: ServiceUnderTest, tokens: Tokens, **body: str) -> dict[str, str]:
    response = await progress.http.post(REPORTS, json=body, headers=tokens.header(Role.NALAS, "NALAS"))
    assert response.status_code in (200, 201), response.text
    report: dict[str, str] = response.json()
    return report
