"""Drafting a recommendation, the busiest command, in as few round trips as the database allows.

An association's drafts take their codes from one counter row, and each holds that row's lock until it commits: any
round trip between the counter and the commit makes the association's other drafts queue for it (under load, the
event loop's turn as well as the network). On PostgreSQL a draft is therefore one statement that commits on its own:
the counter, the recommendation, its first version, its tags and its event together, the lock held only inside the
database. On SQLite, which writes one transaction at a time anyway, they are plain statements in one transaction."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    ARRAY,
    BindParameter,
    LargeBinary,
    Select,
    String,
    Table,
    bindparam,
    case,
    cast,
    func,
    insert,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.expression import CTE

from contracts.envelope import Actor, Envelope, new_event
from contracts.lifecycle import RecommendationStatus
from services.roadmaps import domain, store
from services.roadmaps.store import RECOMMENDATIONS, TAGS, VERSIONS, RoadmapRef
from services.roadmaps.texts import RecommendationText
from sori.db import Database, note_written
from sori.outbox import QUEUED_EVENTS, add_event, outbox_row, outbox_table
from sori.telemetry import current_trace_context

# Each statement its own transaction: no BEGIN and no COMMIT round trip, and no lock held across a round trip.
EACH_STATEMENT_COMMITS = {"isolation_level": "AUTOCOMMIT"}


@dataclass(frozen=True)
class Draft:
    """A new recommendation's rows, all but its code, which only the counter gives."""

    recommendation_id: UUID
    association: str
    year: int
    columns: dict[str, Any]
    first_version: dict[str, Any]
    tags: list[dict[str, Any]]

    @classmethod
    def of(cls, roadmap: RoadmapRef, text: RecommendationText, org: str) -> "Draft":
        recommendation_id, now = uuid4(), datetime.now(UTC)
        content = text.model_dump(mode="json")
        columns = {
            "id": recommendation_id,
            "roadmap_id": roadmap.id,
            "association": roadmap.association,
            "programme": roadmap.programme,
            "status": RecommendationStatus.DRAFTED,
            "version": 1,
            "title": text.title,
            "search_titles": store.search_titles(text),
            "text": content,
            "local_governments": [],
            "awaiting_event_id": None,
            "created_at": now,
            "updated_at": now,
        }
        first_version = {"number": 1, "text": content, "changed_fields": [], "author_org": org, "created_at": now}
        tags = store.tag_rows(recommendation_id, text)
        return cls(recommendation_id, roadmap.association, now.year, columns, first_version, tags)

    def drafted(self, actor: Actor, text: RecommendationText, code: str) -> Envelope:
        payload = domain.draft(
            actor,
            roadmap_association=self.association,
            roadmap_id=self.columns["roadmap_id"],
            recommendation_id=self.recommendation_id,
            code=code,
            title=text.title,
            language=text.language,
            programme=self.columns["programme"],
        )
        return new_event(payload, subject=str(self.recommendation_id), actor=actor, source=domain.SERVICE)


async def draft(db: Database, roadmap_id: UUID, text: RecommendationText, actor: Actor) -> dict[str, Any]:
    """Draft `text` in the roadmap as a new recommendation (version 1) and queue its event; its columns, to answer
    with."""
    async with db.transaction() as session:
        if db.is_postgres:
            await session.connection(execution_options=EACH_STATEMENT_COMMITS)
        roadmap = await store.roadmap_ref(session, roadmap_id)
        domain.require_association_staff(actor, roadmap.association)
        programme = await store.programme(session, roadmap.programme)
        domain.require_running(programme.code, programme.ends_on, datetime.now(UTC).date())
        await store.require_known_codes(session, groups=text.target_groups, topics=text.topics)
        new = Draft.of(roadmap, text, actor.org)
        code = await (_in_one_statement if db.is_postgres else _in_turn)(session, new, text, actor)
    return {**new.columns, "code": code}


async def _in_turn(session: AsyncSession, new: Draft, text: RecommendationText, actor: Actor) -> str:
    code = await store.next_code(session, new.association)
    await session.execute(insert(RECOMMENDATIONS), {**new.columns, "code": code})
    await session.execute(insert(VERSIONS), {**new.first_version, "recommendation_id": new.recommendation_id})
    if new.tags:
        await session.execute(insert(TAGS), new.tags)
    await add_event(session, new.drafted(actor, text, code))
    return code


async def _in_one_statement(session: AsyncSession, new: Draft, text: RecommendationText, actor: Actor) -> str:
    # The event is made before its code exists: it carries a stand-in, unique to this draft, that the statement
    # replaces with the code it counts.
    stand_in = f"code-of-{new.recommendation_id}"
    event = outbox_row(new.drafted(actor, text, stand_in), str(new.recommendation_id), current_trace_context())
    parameters = {
        "association": new.association,
        "year": new.year,
        "code_prefix": f"{new.association}-{new.year}-",
        "stand_in": stand_in,
        "tag_kinds": [tag["kind"].name for tag in new.tags],  # the column keeps an enum by its name
        "tag_codes": [tag["code"] for tag in new.tags],
        **_named("recommendation", new.columns),
        **_named("version", new.first_version),
        **_named("event", event),
    }
    code: str = (await session.execute(DRAFT_IN_ONE_STATEMENT, parameters)).scalar_one()
    note_written(session, QUEUED_EVENTS)
    return code


def _named(prefix: str, values: dict[str, Any]) -> dict[str, Any]:
    return {f"{prefix}_{name}": value for name, value in values.items()}


def _parameters(prefix: str, table: Table, names: Iterable[str]) -> list[BindParameter[Any]]:
    return [bindparam(f"{prefix}_{name}", type_=table.c[name].type) for name in names]


def _insert_selected(table: Table, prefix: str, given: list[str], computed: dict[str, Any], source: CTE) -> Any:
    """INSERT … SELECT of the `given` columns' parameters and of `computed` columns taken from `source`."""
    selected = select(*_parameters(prefix, table, given), *computed.values()).select_from(source)
    return insert(table).from_select([*given, *computed], selected)


def _draft_in_one_statement() -> Select[str]:
    """Made once, so that neither building it nor finding it in SQLAlchemy's cache costs a draft anything."""
    counted = store.counting("postgresql", bindparam("association"), bindparam("year")).cte("counted")
    # domain.recommendation_code in SQL: the number with at least two digits.
    number = counted.c.last
    code = bindparam("code_prefix", type_=String) + case((number < 10, "0"), else_="") + cast(number, String)
    coded = select(code.label("code")).cte("coded")
    recommendation_columns = [c.name for c in RECOMMENDATIONS.c if c.name != "code"]
    recommendation = (
        _insert_selected(RECOMMENDATIONS, "recommendation", recommendation_columns, {"code": coded.c.code}, coded)
        .returning(RECOMMENDATIONS.c.id, RECOMMENDATIONS.c.code)
        .cte("recommendation")
    )
    version_columns = [c.name for c in VERSIONS.c if c.name != "recommendation_id"]
    of_it = {"recommendation_id": recommendation.c.id}
    version = _insert_selected(VERSIONS, "version", version_columns, of_it, recommendation)
    kinds, codes = bindparam("tag_kinds", type_=ARRAY(String)), bindparam("tag_codes", type_=ARRAY(String))
    tags = insert(TAGS).from_select(
        ["recommendation_id", "kind", "code"],
        select(recommendation.c.id, cast(func.unnest(kinds), TAGS.c.kind.type), func.unnest(codes)),
    )
    as_text = func.convert_from(bindparam("event_body", type_=LargeBinary), "UTF8")
    body = func.convert_to(func.replace(as_text, bindparam("stand_in", type_=String), recommendation.c.code), "UTF8")
    event_columns = [c.name for c in outbox_table.c if c.name in OUTBOX_ROW_COLUMNS]
    queued = _insert_selected(outbox_table, "event", event_columns, {"body": body}, recommendation)
    return select(recommendation.c.code).add_cte(version.cte("version"), tags.cte("tags"), queued.cte("event"))


# What outbox_row gives but the body, which the statement makes from the stand-in's.
OUTBOX_ROW_COLUMNS = ("event_id", "topic", "key", "type", "trace_context")
DRAFT_IN_ONE_STATEMENT = _draft_in_one_statement()
