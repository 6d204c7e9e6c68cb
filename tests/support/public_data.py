"""Programmes for the public side's tests, as their producers publish them: a seeded one with something of every
kind that must never be public (each marked by a SECRET word) beside what must be, and a larger generated one."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import count
from uuid import UUID, uuid4

from contracts.envelope import Actor, Envelope, EventPayload, Role, new_event
from contracts.languages import Language
from contracts.lifecycle import RecommendationStatus as S
from contracts.lifecycle import StatusChanged
from contracts.roadmaps import (
    PlannedMilestone,
    RecommendationAssigned,
    RecommendationDrafted,
    RecommendationRevised,
    ReferenceEntryChanged,
)
from contracts.social_approaches import ApproachStatus, ApproachStatusChanged, EvidenceReference, MilestoneReported
from contracts.working_group import (
    ActionHeld,
    ActionKind,
    ActionPlanned,
    ParticipantCounts,
    PublicationDecided,
    PublicItem,
    Sex,
    Visibility,
)
from services.progress.handlers import CONSUMER
from sori.db import Database
from tests.support.services import ServiceUnderTest

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# A person: their address is on every event's actor, and must never reach the public side.
PERSON = Actor(sub="jana.markovska@zels.example", org="ZELS", role=Role.LGA)
NALAS = Actor(sub="mira.petrovska@nalas.example", org="NALAS", role=Role.NALAS)
ECONOMIES = {"ZELS": "MK", "AAM": "AL", "AKM": "XK", "SOGFBIH": "BA"}
INDICATOR = "persons reached"
# Every path a recommendation can take, up to the status it stops at.
PATHS = {
    S.DRAFTED: [S.DRAFTED],
    S.SUBMITTED: [S.DRAFTED, S.SUBMITTED],
    S.UNDER_REVIEW: [S.DRAFTED, S.SUBMITTED, S.UNDER_REVIEW],
    S.CHANGES_REQUESTED: [S.DRAFTED, S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED],
    S.REJECTED: [S.DRAFTED, S.SUBMITTED, S.UNDER_REVIEW, S.REJECTED],
    S.WITHDRAWN: [S.DRAFTED, S.SUBMITTED, S.WITHDRAWN],
    S.ENDORSED: [S.DRAFTED, S.SUBMITTED, S.UNDER_REVIEW, S.ENDORSED],
    S.IN_IMPLEMENTATION: [S.DRAFTED, S.SUBMITTED, S.UNDER_REVIEW, S.ENDORSED, S.IN_IMPLEMENTATION],
    S.IMPLEMENTED: [S.DRAFTED, S.SUBMITTED, S.UNDER_REVIEW, S.ENDORSED, S.IN_IMPLEMENTATION, S.IMPLEMENTED],
    S.VERIFIED: [S.DRAFTED, S.SUBMITTED, S.UNDER_REVIEW, S.ENDORSED, S.IN_IMPLEMENTATION, S.IMPLEMENTED, S.VERIFIED],
}


@dataclass
class Programme:
    events: list[Envelope] = field(default_factory=list)
    public: dict[UUID, str] = field(default_factory=dict)  # every recommendation that must be public, by its code
    endorsements: list[UUID] = field(default_factory=list)  # the lifecycle events of their endorsements
    _clock: Iterator[int] = field(default_factory=count)

    def add(self, payload: EventPayload, subject: UUID, actor: Actor = PERSON) -> Envelope:
        at = T0 + timedelta(minutes=next(self._clock))
        event = new_event(payload, subject=str(subject), actor=actor, source="test", time=at)
        self.events.append(event)
        return event

    def recommendation(
        self,
        code: str,
        title: str,
        status: S,
        *,
        comment: str = "",
        retitled: bool = False,
        by_sex: dict[str, float] | None = None,
        public: bool = True,
    ) -> UUID:
        """A recommendation drafted, moved along its path to `status`; from in_implementation on, with a milestone
        whose report gives the indicator (with `by_sex`) and a private evidence file."""
        rec, association = uuid4(), code.split("-")[0]
        drafted = RecommendationDrafted(
            recommendation_id=rec, roadmap_id=uuid4(), association=association, code=code, title=title,
            language=Language.MACEDONIAN if association == "ZELS" else Language.ENGLISH, version=1,
            programme="SoRi 4",
        )  # fmt: skip
        self.add(drafted, rec)
        version = 1
        if retitled:
            version = 2
            self.add(RecommendationRevised(recommendation_id=rec, association=association, version=2,
                                           changed_fields=["title"]), rec)  # fmt: skip
        path = PATHS[status]
        for sequence, (before, after) in enumerate(zip([None, *path], path, strict=False), start=1):
            if after is S.IN_IMPLEMENTATION:
                self._assign(rec, association)
            moved = StatusChanged(
                recommendation_id=rec, from_status=before, to_status=after, cause_event_id=uuid4(),
                cause_event_type="sori.test.cause.v1", association=association, version=version, sequence=sequence,
                comments=[comment] if comment and after in (S.CHANGES_REQUESTED, S.REJECTED, S.VERIFIED) else [],
            )  # fmt: skip
            event = self.add(moved, rec, actor=NALAS)
            if after is S.ENDORSED and public:
                self.endorsements.append(event.id)
            if after is S.IN_IMPLEMENTATION:
                self._report(rec, by_sex or {Sex.FEMALE.value: 12, Sex.MALE.value: 8})
        if public:
            self.public[rec] = code
        return rec

    def _assign(self, rec: UUID, association: str) -> None:
        self._milestone = uuid4()
        planned = PlannedMilestone(
            milestone_id=self._milestone, title="Service opens", due_date=date(2026, 9, 30),
            local_government=f"{ECONOMIES[association]}-TOWN", indicators=[INDICATOR],
        )  # fmt: skip
        assigned = RecommendationAssigned(
            recommendation_id=rec, association=association, local_governments=[planned.local_government],
            milestones=[planned],
        )  # fmt: skip
        self.add(assigned, rec)

    def _report(self, rec: UUID, by_sex: dict[str, float]) -> None:
        evidence = EvidenceReference(
            evidence_id=uuid4(), name="SECRET-private-evidence.pdf", url="https://files.example/SECRET-evidence"
        )
        reported = MilestoneReported.model_validate(
            {
                "recommendation_id": rec, "milestone_id": self._milestone, "report_id": uuid4(),
                "local_government": "MK-TOWN", "status": "on_track", "narrative": "SECRET-NARRATIVE",
                "indicators": [{"indicator": INDICATOR, "value": sum(by_sex.values()), "by_sex": by_sex}],
                "evidence": [evidence],
            }
        )  # fmt: skip
        self.add(reported, rec)

    def decide(self, kind: PublicItem, item: UUID, visibility: Visibility, reason: str = "") -> None:
        self.add(PublicationDecided(item_kind=kind, item_id=item, visibility=visibility, reason=reason), item, NALAS)

    def action(self, title: str, by_sex: dict[Sex, int]) -> UUID:
        action = uuid4()
        planned = ActionPlanned(
            action_id=action, kind=ActionKind.TRAINING_CYCLE, title=title, starts_on=date(2026, 4, 1),
            ends_on=date(2026, 4, 30), online=False, language=Language.MACEDONIAN,
        )  # fmt: skip
        self.add(planned, action, NALAS)
        total = sum(by_sex.values())
        counts = ParticipantCounts(participants=total, attended=total, participants_by_sex=by_sex)
        self.add(ActionHeld(action_id=action, kind=ActionKind.TRAINING_CYCLE, sessions=2, counts=counts), action, NALAS)
        return action

    def approach(self, association: str, approach_type: str) -> UUID:
        approach = uuid4()
        changed = ApproachStatusChanged(
            approach_id=approach, local_government=f"{ECONOMIES[association]}-TOWN", association=association,
            approach_type=approach_type, women_and_girls=True, from_status=None, to_status=ApproachStatus.PLANNED,
            beneficiaries_planned=40, beneficiaries_reached=0,
        )  # fmt: skip
        self.add(changed, approach)
        return approach

    def economies(self) -> None:
        for association, economy in ECONOMIES.items():
            self.add(ReferenceEntryChanged(kind="associations", code=association, economy=economy), uuid4(), NALAS)


def seeded() -> Programme:
    """Something of every kind the public must never see (each holding SECRET), beside what it must."""
    p = Programme()
    p.economies()
    p.recommendation(
        "ZELS-2026-01", "Дневен центар во рурални средини", S.IN_IMPLEMENTATION, by_sex={"female": 2, "male": 9}
    )
    p.recommendation("ZELS-2026-02", "Ромски медијатори", S.VERIFIED, comment="SECRET-VERIFICATION-NOTE",
                     by_sex={"female": 22, "male": 18})  # fmt: skip
    for n, status in enumerate((S.DRAFTED, S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED), start=3):
        p.recommendation(f"ZELS-2026-0{n}", f"SECRET-{status.value}-title", status, comment="SECRET-COMMENT",
                         public=False)  # fmt: skip
    p.recommendation("AAM-2026-01", "SECRET-rejected-title", S.REJECTED, comment="SECRET-REASON", public=False)
    p.recommendation("AAM-2026-02", "SECRET-withdrawn-title", S.WITHDRAWN, public=False)
    published = p.recommendation("AAM-2026-03", "A rejected one NALAS published", S.REJECTED, comment="SECRET-WHY")
    p.decide(PublicItem.RECOMMENDATION, published, Visibility.PUBLISHED, "SECRET-PUBLISHING-REASON")
    held = p.recommendation("AKM-2026-01", "SECRET-withheld-title", S.IN_IMPLEMENTATION, public=False)
    p.decide(PublicItem.RECOMMENDATION, held, Visibility.WITHHELD, "SECRET-HOLD-REASON")
    p.recommendation("AKM-2026-02", "SECRET-drafted-title-since-revised", S.ENDORSED, retitled=True)
    undone = p.recommendation("AKM-2026-03", "Held back, then let go", S.ENDORSED)
    p.decide(PublicItem.RECOMMENDATION, undone, Visibility.WITHHELD, "SECRET-HOLD-REASON")
    p.decide(PublicItem.RECOMMENDATION, undone, Visibility.AS_THE_RULES_SAY)
    p.action("Training on social mapping", {Sex.FEMALE: 3, Sex.MALE: 12})
    p.action("Study visit to Tuzla", {Sex.FEMALE: 20, Sex.MALE: 10})
    hidden_action = p.action("SECRET-withheld-action", {Sex.FEMALE: 30, Sex.MALE: 30})
    p.decide(PublicItem.ACTION, hidden_action, Visibility.WITHHELD, "SECRET-HOLD-REASON")
    p.approach("ZELS", "mobile_outreach_team")
    hidden_approach = p.approach("AAM", "SECRET-withheld-approach")
    p.decide(PublicItem.SOCIAL_APPROACH, hidden_approach, Visibility.WITHHELD, "SECRET-HOLD-REASON")
    return p


def generated(recommendations: int) -> Programme:
    """A larger programme: recommendations of four associations at every status, with their milestones, values,
    actions and approaches."""
    p = Programme()
    p.economies()
    statuses = list(PATHS)
    associations = list(ECONOMIES)
    for n in range(recommendations):
        status = statuses[n % len(statuses)]
        association = associations[n % len(associations)]
        public = status in (S.ENDORSED, S.IN_IMPLEMENTATION, S.IMPLEMENTED, S.VERIFIED)
        by_sex: dict[str, float] = {"female": 5 + n % 7, "male": n % 9, "other_undisclosed": n % 3}
        p.recommendation(f"{association}-2026-{n:03}", f"Recommendation {n}", status, by_sex=by_sex, public=public)
    for n in range(recommendations // 10):
        p.action(f"Action {n}", {Sex.FEMALE: n, Sex.MALE: 2 * n})
        p.approach(associations[n % len(associations)], "mobile_outreach_team")
    return p


async def project_in_one_poll(progress: ServiceUnderTest, events: list[Envelope]) -> None:
    """A whole programme's events applied as one poll of progress' consumer applies a batch (and `sori replay` the
    topics): far quicker than delivering them one by one, for a programme of hundreds of events."""
    db: Database = progress.app.state.db
    async with db.transaction() as session:
        work = CONSUMER.poll(session)
        await work.prepare(events)
        for event in events:
            await work.apply(event)
        await work.finish()
