"""Reviews, under /working-group/v1: the queue, review comments, decisions and verification of implementation."""

from uuid import UUID

from fastapi import APIRouter, status
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Actor, EventPayload, new_event
from contracts.working_group import Decision, ReviewStarted
from services.working_group import domain, store
from services.working_group.domain import reviews as review_rules
from services.working_group.models import DecisionRecord, QueuedRecommendation, ReviewComment, now
from services.working_group.schemas.reviews import (
    DecisionCreate,
    QueuedRecommendationPublic,
    ReviewCommentCreate,
    ReviewCommentPublic,
    ReviewStart,
    VerificationCreate,
)
from sori.deps import CurrentActor, DatabaseDep
from sori.idempotency import IdempotentRoute
from sori.outbox import add_event

router = APIRouter(tags=["reviews"], route_class=IdempotentRoute)


@router.get(
    "/review-queue",
    response_model=list[QueuedRecommendationPublic],
    summary="Recommendations waiting for the working group: overdue first, then the oldest submission",
)
async def review_queue(_actor: CurrentActor, db: DatabaseDep) -> list[QueuedRecommendation]:
    async with db.reading() as session:
        queued = await store.review_queue(session)
    return sorted(queued, key=lambda q: review_rules.queue_position(q.overdue, q.submitted_at))


@router.get(
    "/recommendations/{recommendation_id}",
    response_model=QueuedRecommendationPublic,
    summary="Where the lifecycle last said a recommendation stands, as the working group knows it",
)
async def read_standing(recommendation_id: UUID, _actor: CurrentActor, db: DatabaseDep) -> QueuedRecommendation:
    async with db.reading() as session:
        return await store.queued(session, recommendation_id)


@router.post(
    "/recommendations/{recommendation_id}/review",
    response_model=QueuedRecommendationPublic,
    summary="Start the review of a submitted recommendation (emits ReviewStarted)",
)
async def start_review(
    recommendation_id: UUID, body: ReviewStart, actor: CurrentActor, db: DatabaseDep
) -> QueuedRecommendation:
    async with db.transaction() as session:
        started = review_rules.start_review(
            actor,
            await store.standing(session, recommendation_id),
            recommendation_id=recommendation_id,
            may_decide=await store.may_decide(session, actor.sub),
            reviewers=body.reviewers,
            meeting_id=await store.referenced_meeting(session, body.meeting_id),
        )
        return await _apply(session, recommendation_id, started, actor)


@router.post(
    "/recommendations/{recommendation_id}/comments",
    status_code=status.HTTP_201_CREATED,
    response_model=ReviewCommentPublic,
    summary="Comment on a version of a recommendation (kept here; comments are not published as events)",
)
async def comment(
    recommendation_id: UUID, body: ReviewCommentCreate, actor: CurrentActor, db: DatabaseDep
) -> ReviewComment:
    domain.require_working_group(actor)
    async with db.transaction() as session:
        known = review_rules.require_known(await store.standing(session, recommendation_id), recommendation_id)
        review_rules.require_comment_version(known, body.version)
        written = ReviewComment.model_validate(
            body, update={"recommendation_id": recommendation_id, "author": actor.sub}
        )
        session.add(written)
    return written


@router.get(
    "/recommendations/{recommendation_id}/comments",
    response_model=list[ReviewCommentPublic],
    summary="Review comments on a recommendation, each tied to a version (all versions unless `version` is given)",
)
async def list_comments(
    recommendation_id: UUID, _actor: CurrentActor, db: DatabaseDep, version: int | None = None
) -> list[ReviewComment]:
    async with db.reading() as session:
        review_rules.require_known(await store.standing(session, recommendation_id), recommendation_id)
        return await store.comments(session, recommendation_id, version)


@router.post(
    "/recommendations/{recommendation_id}/decision",
    response_model=QueuedRecommendationPublic,
    summary="Endorse, request changes to or reject a recommendation under review",
)
async def decide(
    recommendation_id: UUID, body: DecisionCreate, actor: CurrentActor, db: DatabaseDep
) -> QueuedRecommendation:
    async with db.transaction() as session:
        decision = review_rules.decide(
            actor,
            await store.standing(session, recommendation_id),
            recommendation_id=recommendation_id,
            may_decide=await store.may_decide(session, actor.sub),
            decision=body.decision.value,
            comments=body.comments,
            reason=body.reason,
            meeting_id=await store.referenced_meeting(session, body.meeting_id),
        )
        return await _apply(session, recommendation_id, decision, actor)


@router.post(
    "/recommendations/{recommendation_id}/verification",
    response_model=QueuedRecommendationPublic,
    summary="Verify an implemented recommendation, or return it to implementation with reasons",
)
async def verify(
    recommendation_id: UUID, body: VerificationCreate, actor: CurrentActor, db: DatabaseDep
) -> QueuedRecommendation:
    async with db.transaction() as session:
        verification = review_rules.verify(
            actor,
            await store.standing(session, recommendation_id),
            recommendation_id=recommendation_id,
            may_decide=await store.may_decide(session, actor.sub),
            outcome=body.outcome.value,
            note=body.note,
            reasons=body.reasons,
        )
        return await _apply(session, recommendation_id, verification, actor)


async def _apply(
    session: AsyncSession, recommendation_id: UUID, payload: EventPayload, actor: Actor
) -> QueuedRecommendation:
    """Record the command's event, and the status it leads to, so that the queue refuses a second one at once."""
    queued = await store.queued(session, recommendation_id)
    queued.status = review_rules.expected_status(payload.TYPE)
    queued.updated_at = now()
    session.add(queued)
    if not isinstance(payload, ReviewStarted):
        decision = payload if isinstance(payload, Decision) else None
        record = DecisionRecord(
            recommendation_id=recommendation_id,
            event_type=payload.TYPE,
            version=decision.version if decision else queued.version,
            decided_by=actor.sub,
            meeting_id=decision.meeting_id if decision else None,
        )
        session.add(record)
    await add_event(session, new_event(payload, subject=str(recommendation_id), actor=actor, source=domain.SERVICE))
    return queued
