"""Lists of recommendations that scale: filters that use indexes and a cursor over (created_at, id)."""

import base64
import binascii
import json
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import and_, or_
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from contracts.lifecycle import RecommendationStatus
from services.roadmaps.models import Recommendation, RecommendationTag, TagKind
from sori.errors import CommandRefused, RefusalKind


def encode_cursor(row: Recommendation) -> str:
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    raw = json.dumps({"t": created.isoformat(), "id": str(row.id)}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    try:
        document = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return datetime.fromisoformat(document["t"]).astimezone(UTC), UUID(document["id"])
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise CommandRefused(RefusalKind.INVALID, "the cursor is not one this list gave out") from exc


def _tagged(kind: TagKind, code: str) -> SelectOfScalar[UUID]:
    return select(RecommendationTag.recommendation_id).where(
        RecommendationTag.kind == kind, RecommendationTag.code == code
    )


def page_query(
    *,
    programme: str | None,
    association: str | None,
    status: RecommendationStatus | None,
    topic: str | None,
    group: str | None,
    q: str | None,
    cursor: str | None,
    limit: int,
) -> SelectOfScalar[Recommendation]:
    """One page, oldest first, plus one row more than `limit` so that the caller knows whether more follow."""
    query = select(Recommendation)
    if programme:
        query = query.where(Recommendation.programme == programme)
    if association:
        query = query.where(Recommendation.association == association)
    if status:
        query = query.where(Recommendation.status == status)
    if topic:
        query = query.where(col(Recommendation.id).in_(_tagged(TagKind.TOPIC, topic)))
    if group:
        query = query.where(col(Recommendation.id).in_(_tagged(TagKind.GROUP, group)))
    if q:
        query = query.where(col(Recommendation.search_titles).contains(q.lower(), autoescape=True))
    if cursor:
        created, last_id = decode_cursor(cursor)
        query = query.where(
            or_(
                col(Recommendation.created_at) > created,
                and_(col(Recommendation.created_at) == created, col(Recommendation.id) > last_id),
            )
        )
    return query.order_by(col(Recommendation.created_at), col(Recommendation.id)).limit(limit + 1)
