"""Reading and writing roadmaps' rows inside the caller's transaction; a missing row is a 404 with its id."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, insert, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from contracts.envelope import Envelope
from contracts.lifecycle import RecommendationStatus
from contracts.roadmaps import RecommendationDrafted
from services.roadmaps import domain
from services.roadmaps.domain.text import RecommendationText
from services.roadmaps.models import (
    CodeSequence,
    Recommendation,
    RecommendationTag,
    RecommendationVersion,
    Roadmap,
    TagKind,
)
from services.roadmaps.reference import Association, LocalGovernment, Programme, SocialTopic, VulnerableGroup
from sori.errors import CommandRefused, RefusalKind
from sori.outbox import add_event
from sori.tables import table_of
from sori.upsert import dialect_insert, dialect_of

RECOMMENDATIONS = table_of(Recommendation)
VERSIONS = table_of(RecommendationVersion)
TAGS = table_of(RecommendationTag)
CODE_SEQUENCES = table_of(CodeSequence)
# Roadmaps are never deleted, and never move to another association or programme, so that a process may keep what
# drafting needs of them (the busiest command then reads no roadmap row). Bounded, in case of a flood of unknown ids.
MAX_KEPT_ROADMAPS = 10_000


@dataclass(frozen=True)
class RoadmapRef:
    """What a draft needs of its roadmap: the parts that never change."""

    id: UUID
    association: str
    programme: str


_kept_roadmaps: dict[UUID, RoadmapRef] = {}


async def roadmap(session: AsyncSession, roadmap_id: UUID) -> Roadmap:
    found = await session.get(Roadmap, roadmap_id)
    if found is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"no roadmap {roadmap_id}")
    return found


async def roadmap_ref(session: AsyncSession, roadmap_id: UUID) -> RoadmapRef:
    kept = _kept_roadmaps.get(roadmap_id)
    if kept is not None:
        return kept
    found = (
        await session.execute(
            select(Roadmap.id, Roadmap.association, Roadmap.programme).where(Roadmap.id == roadmap_id)
        )
    ).first()
    if found is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"no roadmap {roadmap_id}")
    ref = RoadmapRef(id=found.id, association=found.association, programme=found.programme)
    if len(_kept_roadmaps) < MAX_KEPT_ROADMAPS:
        _kept_roadmaps[roadmap_id] = ref
    return ref


async def recommendation(session: AsyncSession, recommendation_id: UUID, *, for_update: bool = False) -> Recommendation:
    """The recommendation; `for_update` locks its row (PostgreSQL) so that concurrent commands queue up."""
    found = await session.get(Recommendation, recommendation_id, with_for_update=for_update)
    if found is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"no recommendation {recommendation_id}")
    return found


async def version(session: AsyncSession, recommendation_id: UUID, number: int) -> RecommendationVersion:
    found = await session.get(RecommendationVersion, (recommendation_id, number))
    if found is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"recommendation {recommendation_id} has no version {number}")
    return found


async def programme(session: AsyncSession, code: str) -> Programme:
    found = await session.get(Programme, code)
    if found is None:
        known = ", ".join(await session.scalars(select(Programme.code).order_by(col(Programme.code))))
        raise CommandRefused(RefusalKind.INVALID, f"unknown programme {code!r}; known programmes: {known}")
    return found


async def require_known_association(session: AsyncSession, code: str) -> None:
    """An association writes only if the reference data knows it: a token for `NOSUCH` creates nothing."""
    if await session.get(Association, code) is None:
        raise CommandRefused(
            RefusalKind.FORBIDDEN, f"{code!r} is not an association of the reference data; NALAS adds them"
        )


async def roadmap_of(session: AsyncSession, association: str, programme_code: str) -> UUID | None:
    found: UUID | None = await session.scalar(
        select(Roadmap.id).where(Roadmap.association == association, Roadmap.programme == programme_code)
    )
    return found


async def require_known_codes(session: AsyncSession, *, groups: list[str], topics: list[str]) -> None:
    if groups:
        known = set(await session.scalars(select(VulnerableGroup.code).where(col(VulnerableGroup.code).in_(groups))))
        domain.require_known("vulnerable groups", groups, known)
    if topics:
        known = set(await session.scalars(select(SocialTopic.code).where(col(SocialTopic.code).in_(topics))))
        domain.require_known("social topics", topics, known)


async def local_governments_of(session: AsyncSession, association: str) -> set[str]:
    return set(await session.scalars(select(LocalGovernment.code).where(LocalGovernment.association == association)))


async def next_code(session: AsyncSession, association: str) -> str:
    """The association's next code this year, counted in one statement (the first draft of a year starts at 1).

    The statement locks the association's counter row until the transaction ends, so that two drafts never take one
    number: a caller takes the code after its checks, as the last step before it writes."""
    year = datetime.now(UTC).year
    counted = (
        dialect_insert(CODE_SEQUENCES, dialect_of(session))
        .values(association=association, year=year, last=1)
        .on_conflict_do_update(
            index_elements=[CODE_SEQUENCES.c.association, CODE_SEQUENCES.c.year],
            set_={"last": CODE_SEQUENCES.c.last + 1},
        )
        .returning(CODE_SEQUENCES.c.last)
    )
    return domain.recommendation_code(association, year, int(await session.scalar(counted) or 0))


def search_titles(text: RecommendationText) -> str:
    return "\n".join([text.title, *(t.title for t in text.translations.values())]).lower()


def tag_rows(recommendation_id: UUID, text: RecommendationText) -> list[dict[str, Any]]:
    tags = [(TagKind.GROUP, code) for code in text.target_groups] + [(TagKind.TOPIC, code) for code in text.topics]
    return [{"recommendation_id": recommendation_id, "kind": kind, "code": code} for kind, code in tags]


async def keep_text(session: AsyncSession, row: Recommendation, text: RecommendationText) -> None:
    """Make `text` the recommendation's current one, with the title and tags that lists search and filter on."""
    row.text = text.model_dump(mode="json")
    row.title = text.title
    row.search_titles = search_titles(text)
    row.updated_at = datetime.now(UTC)
    session.add(row)
    await session.execute(delete(RecommendationTag).where(col(RecommendationTag.recommendation_id) == row.id))
    session.add_all(RecommendationTag(**tag) for tag in tag_rows(row.id, text))


async def move_ahead(session: AsyncSession, row: Recommendation, status: RecommendationStatus, event: Envelope) -> None:
    """Take the status the command leads to before the lifecycle confirms it, and queue the command's event."""
    row.status = status
    row.awaiting_event_id = event.id
    row.updated_at = datetime.now(UTC)
    session.add(row)
    await add_event(session, event)


async def add_recommendation(
    session: AsyncSession, drafted: RecommendationDrafted, text: RecommendationText, org: str
) -> dict[str, Any]:
    """The drafted recommendation's rows (the recommendation, its text as version 1, its tags); its columns, to answer
    with. Plain inserts, not the ORM's unit of work: drafting is the busiest command."""
    now = datetime.now(UTC)
    content = text.model_dump(mode="json")
    columns = {
        "id": drafted.recommendation_id,
        "roadmap_id": drafted.roadmap_id,
        "association": drafted.association,
        "programme": drafted.programme,
        "code": drafted.code,
        "status": RecommendationStatus.DRAFTED,
        "version": drafted.version,
        "title": text.title,
        "search_titles": search_titles(text),
        "text": content,
        "local_governments": [],
        "created_at": now,
        "updated_at": now,
    }
    await session.execute(insert(RECOMMENDATIONS), columns)
    version = {"number": drafted.version, "text": content, "changed_fields": [], "author_org": org, "created_at": now}
    await session.execute(insert(VERSIONS), {**version, "recommendation_id": drafted.recommendation_id})
    tags = tag_rows(drafted.recommendation_id, text)
    if tags:
        await session.execute(insert(TAGS), tags)
    return columns


def add_version(
    session: AsyncSession, row: Recommendation, text: RecommendationText, changed: list[str], org: str
) -> RecommendationVersion:
    """The recommendation's current text, saved as its version `row.version`."""
    version = RecommendationVersion(
        recommendation_id=row.id,
        number=row.version,
        text=text.model_dump(mode="json"),
        changed_fields=changed,
        author_org=org,
    )
    session.add(version)
    return version


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
    """A page of recommendations, oldest first, filtered on indexes, after the cursor's (created_at, id); one row more
    than `limit`, so that the caller knows whether more follow."""
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
