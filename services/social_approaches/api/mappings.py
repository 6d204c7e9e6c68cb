"""LNOB social mappings: a local government maps its vulnerable groups for a social topic, then completes it."""

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Query, status

from contracts.envelope import new_event
from contracts.social_approaches import GroupCount, MappingCompleted
from services.social_approaches import domain, store
from services.social_approaches.domain import MappingStatus
from services.social_approaches.models import Mapping
from services.social_approaches.schemas.mappings import MappingPublic, MappingWrite
from sori.deps import CurrentActor, DatabaseDep
from sori.idempotency import IdempotentRoute
from sori.outbox import add_event
from sori.scopes import reading_scope

router = APIRouter(tags=["social mappings"], route_class=IdempotentRoute)


@router.post(
    "/mappings",
    status_code=status.HTTP_201_CREATED,
    response_model=MappingPublic,
    summary="Start a social mapping of your local government for a social topic",
)
async def create_mapping(body: MappingWrite, actor: CurrentActor, db: DatabaseDep) -> Mapping:
    local_government = domain.require_local_government(actor)
    async with db.transaction() as session:
        await store.refuse_second_mapping(session, local_government, body.topic)
        mapping = Mapping(
            local_government=local_government,
            association=await store.association_of_writer(session, local_government),
            **_content(body),
        )
        session.add(mapping)
        await store.flush_one_per_topic(session, mapping)
    return mapping


@router.get("/mappings", response_model=list[MappingPublic], summary="Social mappings you may read")
async def list_mappings(
    actor: CurrentActor,
    db: DatabaseDep,
    local_government: str | None = None,
    topic: str | None = None,
    mapping_status: Annotated[MappingStatus | None, Query(alias="status")] = None,
) -> list[Mapping]:
    async with db.reading() as session:
        if local_government is not None:
            domain.require_reader(actor, local_government, await store.association_of(session, local_government))
        return await store.mappings(session, reading_scope(actor), local_government, topic, mapping_status)


@router.get("/mappings/{mapping_id}", response_model=MappingPublic, summary="One social mapping")
async def read_mapping(mapping_id: UUID, actor: CurrentActor, db: DatabaseDep) -> Mapping:
    async with db.reading() as session:
        mapping = await store.get_or_404(session, Mapping, mapping_id, "mapping")
    domain.require_reader(actor, mapping.local_government, mapping.association)
    return mapping


@router.put("/mappings/{mapping_id}", response_model=MappingPublic, summary="Replace a draft mapping's content")
async def update_mapping(mapping_id: UUID, body: MappingWrite, actor: CurrentActor, db: DatabaseDep) -> Mapping:
    async with db.transaction() as session:
        mapping = await store.get_or_404(session, Mapping, mapping_id, "mapping")
        domain.require_local_government(actor, mapping.local_government)
        domain.require_draft_mapping(mapping.status)
        if body.topic != mapping.topic:
            await store.refuse_second_mapping(session, mapping.local_government, body.topic)
        for field, value in _content(body).items():
            setattr(mapping, field, value)
        mapping.updated_at = datetime.now(UTC)
        session.add(mapping)
        await store.flush_one_per_topic(session, mapping)
    return mapping


@router.post(
    "/mappings/{mapping_id}/complete",
    response_model=MappingPublic,
    summary="Complete a draft mapping (emits mapping.completed with counts only)",
)
async def complete_mapping(mapping_id: UUID, actor: CurrentActor, db: DatabaseDep) -> Mapping:
    async with db.transaction() as session:
        mapping = await store.get_or_404(session, Mapping, mapping_id, "mapping")
        domain.require_local_government(actor, mapping.local_government)
        domain.require_draft_mapping(mapping.status)
        groups = [GroupCount.model_validate(g) for g in mapping.groups]
        domain.require_completable(groups, len(mapping.findings))
        mapping.status = MappingStatus.COMPLETED
        mapping.completed_at = mapping.updated_at = datetime.now(UTC)
        session.add(mapping)
        completed = MappingCompleted(
            mapping_id=mapping.id,
            local_government=mapping.local_government,
            association=mapping.association,
            topic=mapping.topic,
            groups=groups,
            finding_ids=[f["finding_id"] for f in mapping.findings],
            data_sources_count=len(mapping.data_sources),
            gaps_count=len(mapping.gaps),
        )
        await add_event(session, new_event(completed, subject=str(mapping.id), actor=actor, source=domain.SERVICE))
    return mapping


def _content(body: MappingWrite) -> dict[str, Any]:
    """The mapping's content as stored, once its figures add up; findings without an id get one."""
    domain.check_group_counts(body.groups, "groups")
    findings = [f.model_copy(update={"finding_id": f.finding_id or uuid4()}) for f in body.findings]
    domain.require_unique_finding_ids([f.finding_id for f in findings if f.finding_id])
    return {
        "topic": body.topic,
        "title": body.title,
        "groups": [g.model_dump(mode="json") for g in body.groups],
        "data_sources": body.data_sources,
        "findings": [f.model_dump(mode="json") for f in findings],
        "gaps": body.gaps,
    }
