"""Domain events as the bridge would deliver them to a lifecycle, built from the real payload models."""

from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

from contracts.envelope import Actor, EventPayload, Role
from contracts.roadmaps import (
    MilestoneRescheduled,
    PlannedMilestone,
    RecommendationAssigned,
    RecommendationDrafted,
    RecommendationRevised,
    RecommendationSubmitted,
    RecommendationWithdrawn,
)
from contracts.social_approaches import EvidenceReference, MilestoneProgress, MilestoneReported
from contracts.working_group import (
    ChangesRequested,
    ImplementationReturned,
    ImplementationVerified,
    RecommendationEndorsed,
    RecommendationRejected,
    ReviewStarted,
)
from workflows.messages import DomainEvent, LifecycleClocks

ZELS = Actor(sub="ana", org="ZELS", role=Role.LGA)
NALAS = Actor(sub="wg-chair", org="NALAS", role=Role.NALAS)
KUMANOVO = Actor(sub="officer", org="MK-KUMANOVO", role=Role.LG)
STRUMICA = Actor(sub="officer", org="MK-STRUMICA", role=Role.LG)
LOCAL_GOVERNMENTS = {"MK-KUMANOVO": KUMANOVO, "MK-STRUMICA": STRUMICA}


def event(payload: EventPayload, actor: Actor, at: datetime | None = None) -> DomainEvent:
    return DomainEvent(uuid4(), payload.TYPE, at or datetime.now(UTC), actor, uuid4(), payload.model_dump(mode="json"))


def drafted(rec: UUID, programme: str | None = None) -> DomainEvent:
    payload = RecommendationDrafted(
        recommendation_id=rec,
        roadmap_id=uuid4(),
        association="ZELS",
        code="ZELS-2026-01",
        title="Day care",
        language="en",
        version=1,
        programme=programme,
    )
    return event(payload, ZELS)


def revised(rec: UUID, version: int) -> DomainEvent:
    return event(
        RecommendationRevised(recommendation_id=rec, association="ZELS", version=version, changed_fields=["title"]),
        ZELS,
    )


def submitted(rec: UUID, version: int = 1) -> DomainEvent:
    return event(RecommendationSubmitted(recommendation_id=rec, association="ZELS", version=version), ZELS)


def withdrawn(rec: UUID) -> DomainEvent:
    return event(RecommendationWithdrawn(recommendation_id=rec, association="ZELS", reason="merged"), ZELS)


def review_started(rec: UUID, version: int = 1) -> DomainEvent:
    return event(ReviewStarted(recommendation_id=rec, version=version, reviewers=["wg-chair"]), NALAS)


def changes_requested(rec: UUID, version: int = 1) -> DomainEvent:
    payload = ChangesRequested(recommendation_id=rec, version=version, decided_by="wg-chair", comments=["Add data"])
    return event(payload, NALAS)


def endorsed(rec: UUID, version: int = 1) -> DomainEvent:
    return event(RecommendationEndorsed(recommendation_id=rec, version=version, decided_by="wg-chair"), NALAS)


def rejected(rec: UUID) -> DomainEvent:
    payload = RecommendationRejected(recommendation_id=rec, version=1, decided_by="wg-chair", reason="out of scope")
    return event(payload, NALAS)


def plan(count: int, first_due: date | None = None) -> list[PlannedMilestone]:
    first_due = first_due or (datetime.now(UTC).date() + timedelta(days=30))
    lgs = list(LOCAL_GOVERNMENTS)
    return [
        PlannedMilestone(
            milestone_id=uuid4(),
            title=f"Milestone {i + 1}",
            due_date=first_due + timedelta(days=30 * i),
            local_government=lgs[i % len(lgs)],
            indicators=["beneficiaries_reached"],
        )
        for i in range(count)
    ]


def assigned(rec: UUID, milestones: list[PlannedMilestone]) -> DomainEvent:
    payload = RecommendationAssigned(
        recommendation_id=rec,
        association="ZELS",
        local_governments=sorted({m.local_government for m in milestones}),
        milestones=milestones,
    )
    return event(payload, ZELS)


def rescheduled(rec: UUID, milestone: PlannedMilestone, due: date) -> DomainEvent:
    payload = MilestoneRescheduled(
        recommendation_id=rec, milestone_id=milestone.milestone_id, due_date=due, reason="council elections"
    )
    return event(payload, ZELS)


def reported(
    rec: UUID,
    milestone: PlannedMilestone,
    status: MilestoneProgress = MilestoneProgress.DONE,
    evidence: int = 1,
    local_government: str | None = None,
) -> DomainEvent:
    lg = local_government or milestone.local_government
    payload = MilestoneReported(
        recommendation_id=rec,
        milestone_id=milestone.milestone_id,
        report_id=uuid4(),
        local_government=lg,
        status=status,
        evidence=[
            EvidenceReference(evidence_id=uuid4(), name=f"photo-{i}.jpg", sha256="0" * 64) for i in range(evidence)
        ],
    )
    return event(payload, LOCAL_GOVERNMENTS.get(lg, KUMANOVO))


def verified(rec: UUID) -> DomainEvent:
    return event(ImplementationVerified(recommendation_id=rec, verified_by="wg-chair"), NALAS)


def returned(rec: UUID) -> DomainEvent:
    return event(ImplementationReturned(recommendation_id=rec, returned_by="wg-chair", reasons=["no photos"]), NALAS)


SHORT_REVIEW_CLOCKS = LifecycleClocks(review_due_after=timedelta(days=1))
