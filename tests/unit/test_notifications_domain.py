"""Notification rules: who hears of which event; backoff; webhook filters; signatures a receiver can check."""

import time
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from contracts.envelope import Actor, EventPayload, Role, new_event
from contracts.lifecycle import (
    DraftIdle,
    MilestoneClock,
    MilestoneDueSoon,
    MilestoneEscalated,
    MilestoneOverdue,
    MilestonesPlanned,
    RecommendationStatus,
    ReviewOverdue,
    StatusChanged,
)
from contracts.roadmaps import PlannedMilestone
from services.notifications import domain
from services.notifications.domain import NALAS, NoticeKind, plan_notice
from services.notifications.verify import sign, verify_signature
from sori.errors import CommandRefused

REC = uuid4()
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def envelope(payload: EventPayload) -> object:
    return new_event(payload, subject=str(REC), actor=Actor(sub="w", org="NALAS", role=Role.NALAS), source="w")


def changed(to: RecommendationStatus, came_from: RecommendationStatus | None = None) -> StatusChanged:
    return StatusChanged(
        recommendation_id=REC,
        from_status=came_from,
        to_status=to,
        cause_event_id=uuid4(),
        cause_event_type="x",
        association="ZELS",
    )


def milestone(kind: type[MilestoneClock], **extra: object) -> MilestoneClock:
    return kind(
        recommendation_id=REC,
        milestone_id=uuid4(),
        association="ZELS",
        local_government="ZELS-LG",
        title="Mapping",
        due_date=date(2027, 1, 1),
        **extra,
    )


def planned(*local_governments: str) -> MilestonesPlanned:
    milestones = [
        PlannedMilestone(milestone_id=uuid4(), title="Mapping", due_date=date(2027, 1, 1), local_government=lg)
        for lg in local_governments
    ]
    return MilestonesPlanned(recommendation_id=REC, association="ZELS", milestones=milestones)


@pytest.mark.parametrize(
    ("payload", "kind", "organisations"),
    [
        (changed(RecommendationStatus.CHANGES_REQUESTED), NoticeKind.CHANGES_REQUESTED, {"ZELS"}),
        (changed(RecommendationStatus.ENDORSED), NoticeKind.ENDORSED, {"ZELS", "ZELS-A", NALAS}),
        (changed(RecommendationStatus.REJECTED), NoticeKind.REJECTED, {"ZELS", "ZELS-A", NALAS}),
        (changed(RecommendationStatus.IMPLEMENTED), NoticeKind.IMPLEMENTED, {"ZELS", "ZELS-A", NALAS}),
        (changed(RecommendationStatus.VERIFIED), NoticeKind.VERIFIED, {"ZELS", "ZELS-A", NALAS}),
        (
            changed(RecommendationStatus.IN_IMPLEMENTATION, came_from=RecommendationStatus.IMPLEMENTED),
            NoticeKind.RETURNED,
            {"ZELS", "ZELS-A"},
        ),
        (planned("ZELS-B", "ZELS-C", "ZELS-B"), NoticeKind.MILESTONES_ASSIGNED, {"ZELS-B", "ZELS-C"}),
        (DraftIdle(recommendation_id=REC, association="ZELS", idle_since=NOW), NoticeKind.DRAFT_IDLE, {"ZELS"}),
        (milestone(MilestoneDueSoon), NoticeKind.MILESTONE_DUE_SOON, {"ZELS", "ZELS-LG"}),
        (milestone(MilestoneOverdue), NoticeKind.MILESTONE_OVERDUE, {"ZELS", "ZELS-LG"}),
        (milestone(MilestoneEscalated), NoticeKind.MILESTONE_ESCALATED, {"ZELS", NALAS}),
        (milestone(MilestoneEscalated, escalated_to=["nalas"]), NoticeKind.MILESTONE_ESCALATED, {NALAS}),
        (
            ReviewOverdue(recommendation_id=REC, association="ZELS", submitted_at=NOW, due_at=NOW),
            NoticeKind.REVIEW_OVERDUE,
            {NALAS},
        ),
    ],
)
def test_who_hears_of_what(payload: EventPayload, kind: NoticeKind, organisations: set[str]) -> None:
    plan = plan_notice(envelope(payload), {"ZELS-A"})  # type: ignore[arg-type]
    assert plan is not None
    assert plan.kind is kind
    assert plan.organisations == organisations
    assert plan.recommendation_id == REC


@pytest.mark.parametrize(
    "payload",
    [
        changed(RecommendationStatus.SUBMITTED),
        changed(RecommendationStatus.UNDER_REVIEW),
        changed(RecommendationStatus.WITHDRAWN),
        changed(RecommendationStatus.IN_IMPLEMENTATION, came_from=RecommendationStatus.ENDORSED),
    ],
)
def test_other_events_concern_no_one(payload: EventPayload) -> None:
    assert plan_notice(envelope(payload), {"ZELS-A"}) is None  # type: ignore[arg-type]


def test_backoff_doubles_up_to_the_cap() -> None:
    delays = [(domain.next_attempt(NOW, n, 1.0, 10.0) - NOW).total_seconds() for n in range(1, 7)]
    assert delays == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def test_ids_are_the_same_for_the_same_event_and_person() -> None:
    event, person = uuid4(), uuid4()
    assert domain.notice_id(event, person) == domain.notice_id(event, person)
    assert domain.notice_id(event, person) != domain.notice_id(event, uuid4())


def test_webhook_filters() -> None:
    t = "sori.lifecycle.recommendation.status_changed.v1"
    assert domain.webhook_wants([t], None, t, {"ZELS"})
    assert domain.webhook_wants(["*"], "ZELS", t, {"ZELS", NALAS})
    assert not domain.webhook_wants(["sori.lifecycle.milestone.overdue.v1"], None, t, {"ZELS"})
    assert not domain.webhook_wants(["*"], "AKM", t, {"ZELS"})


def test_a_webhook_asks_only_for_types_notifications_hears_of_once_each() -> None:
    known = {"a.v1", "b.v1"}
    assert domain.check_event_types(["b.v1", "a.v1", "b.v1"], known) == ["b.v1", "a.v1"]
    assert domain.check_event_types(["*"], known) == ["*"]
    with pytest.raises(CommandRefused, match=r"no event type c\.v1, d\.v1"):
        domain.check_event_types(["a.v1", "d.v1", "c.v1"], known)


def test_only_nalas_manages_and_only_the_owner_reads() -> None:
    domain.require_nalas(Actor(sub="a", org="NALAS", role=Role.NALAS))
    with pytest.raises(CommandRefused, match="only NALAS"):
        domain.require_nalas(Actor(sub="a", org="ZELS", role=Role.LGA))
    with pytest.raises(CommandRefused, match="belongs to b"):
        domain.require_own(Actor(sub="a", org="ZELS", role=Role.LGA), "b", "notice 1")


BODY = b'{"id": "1", "type": "sori.lifecycle.recommendation.status_changed.v1"}'


def test_a_signature_verifies_and_a_tampered_one_does_not() -> None:
    ts = str(int(time.time()))
    signature = sign("s3cret", ts, BODY)
    assert verify_signature("s3cret", ts, BODY, signature, 300)
    assert not verify_signature("s3cret", ts, BODY + b" ", signature, 300)
    assert not verify_signature("other", ts, BODY, signature, 300)
    assert not verify_signature("s3cret", str(int(ts) + 1), BODY, signature, 300)
    assert not verify_signature("s3cret", ts, BODY, "sha256=" + "0" * 64, 300)
    assert not verify_signature("s3cret", "yesterday", BODY, signature, 300)


def test_a_stale_timestamp_is_refused_even_with_a_valid_signature() -> None:
    old = str(int(time.time() - timedelta(minutes=10).total_seconds()))
    signature = sign("s3cret", old, BODY)
    assert not verify_signature("s3cret", old, BODY, signature, 300)
    assert verify_signature("s3cret", old, BODY, signature, 3600)
