"""Drafting and revising a recommendation inside the caller's transaction: the one path the API's commands and the
roadmap import both take, so that a recommendation from a sheet is exactly one drafted through the API (its rows, its
event, and so its workflow)."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Actor, new_event
from services.roadmaps import domain, store
from services.roadmaps.domain.text import RecommendationText, revised
from services.roadmaps.models import RecommendationVersion
from sori.errors import CommandRefused, RefusalKind
from sori.outbox import add_event


async def draft(session: AsyncSession, roadmap_id: UUID, text: RecommendationText, actor: Actor) -> dict[str, Any]:
    """Version 1 of a new recommendation in the roadmap, and its drafted event; the recommendation's columns."""
    # The busiest command: an association's drafts queue for its code counter, which each holds from taking its code
    # to its commit, so the code is taken after every check, and only plain inserts follow it.
    roadmap = await store.roadmap_ref(session, roadmap_id)
    domain.require_association_staff(actor, roadmap.association)
    programme = await store.programme(session, roadmap.programme)
    domain.require_running(programme.code, programme.ends_on, datetime.now(UTC).date())
    await store.require_known_codes(session, groups=text.target_groups, topics=text.topics)
    drafted = domain.draft(
        actor,
        roadmap_association=roadmap.association,
        roadmap_id=roadmap.id,
        recommendation_id=uuid4(),
        code=await store.next_code(session, roadmap.association),
        title=text.title,
        language=text.language,
        programme=roadmap.programme,
    )
    columns = await store.add_recommendation(session, drafted, text, actor.org)
    subject = str(drafted.recommendation_id)
    await add_event(session, new_event(drafted, subject=subject, actor=actor, source=domain.SERVICE))
    return columns


async def revise(
    session: AsyncSession, recommendation_id: UUID, changes: dict[str, Any], actor: Actor
) -> RecommendationVersion:
    """A new version with the changed fields (JSON), and its revised event."""
    row = await store.recommendation(session, recommendation_id, for_update=True)
    domain.require_editable(actor, association=row.association, status=row.status)
    text = revised_text(row.text, changes)
    await store.require_known_codes(session, groups=text.target_groups, topics=text.topics)
    event = domain.revise(
        actor,
        association=row.association,
        recommendation_id=row.id,
        status=row.status,
        version=row.version,
        changed=domain.changed_fields(row.text, text.model_dump(mode="json")),
    )
    row.version = event.version
    await store.keep_text(session, row, text)
    version = store.add_version(session, row, text, changed=event.changed_fields, org=actor.org)
    await add_event(session, new_event(event, subject=str(row.id), actor=actor, source=domain.SERVICE))
    return version


def revised_text(current: dict[str, Any], changes: dict[str, Any]) -> RecommendationText:
    try:
        return revised(current, changes)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'text'}: {e['msg']}" for e in exc.errors()[:5])
        raise CommandRefused(RefusalKind.INVALID, f"the revised text is not valid: {problems}") from exc
