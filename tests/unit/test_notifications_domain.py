"""Notification rules: who hears of which event; backoff; webhook filters; signatures a receiver can check."""

import base64
import json
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

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
from services.notifications.signatures import key, new_secret, signed_headers
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


def test_a_delivery_verifies_with_the_standard_webhooks_library_and_a_tampered_one_does_not() -> None:
    secret = new_secret()
    headers = signed_headers(secret, "msg-1", BODY)
    assert Webhook(secret).verify(BODY, headers) == json.loads(BODY)
    refused = [
        (BODY + b" ", headers),
        (BODY, headers | {"webhook-id": "msg-2"}),
        (BODY, headers | {"webhook-timestamp": str(int(headers["webhook-timestamp"]) + 1)}),
        (BODY, signed_headers(new_secret(), "msg-1", BODY)),
    ]
    for body, sent in refused:
        with pytest.raises(WebhookVerificationError, match="No matching signature found"):
            Webhook(secret).verify(body, sent)


def test_a_replayed_old_delivery_is_refused_though_its_signature_holds() -> None:
    secret = new_secret()
    long_ago = signed_headers(secret, "msg-1", BODY, datetime.now(UTC) - timedelta(minutes=6))
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(BODY, long_ago)


def test_a_new_secret_is_whsec_and_32_random_bytes() -> None:
    secret = new_secret()
    assert secret.startswith("whsec_")
    assert len(key(secret)) == 32
    assert new_secret() != secret


def test_a_secret_from_before_signs_with_its_own_bytes_as_whsec_of_them_says() -> None:
    older = "an-older-secret_without-the-prefix"
    headers = signed_headers(older, "msg-1", BODY)
    Webhook(older.encode()).verify(BODY, headers)
    Webhook("whsec_" + base64.b64encode(older.encode()).decode()).verify(BODY, headers)
