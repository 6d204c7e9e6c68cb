"""Reference data over HTTP: everyone signed in reads it; NALAS adds and edits entries."""

from typing import Annotated, TypeVar

from fastapi import APIRouter, Path
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col, select

from contracts.envelope import Actor
from services.roadmaps import domain
from services.roadmaps.api import examples as ex
from services.roadmaps.reference import (
    CODE_PATTERN,
    Association,
    AssociationBase,
    AssociationPublic,
    Economy,
    EconomyPublic,
    LabelBase,
    LabelPublic,
    LocalGovernment,
    LocalGovernmentBase,
    LocalGovernmentPublic,
    Programme,
    ProgrammeBase,
    ProgrammePublic,
    ReferenceLoad,
    ReferencePublic,
    SocialTopic,
    VulnerableGroup,
)
from services.roadmaps.reference_events import entry_changed
from sori.deps import CurrentActor, DatabaseDep
from sori.errors import CommandRefused, RefusalKind
from sori.outbox import add_event

router = APIRouter(prefix="/roadmaps/v1/reference", tags=["reference data"])
CodePath = Annotated[str, Path(pattern=CODE_PATTERN, description="the entry's code", examples=["MK-KUMANOVO"])]
Entry = TypeVar("Entry", bound=SQLModel)


@router.get(
    "",
    response_model=ReferencePublic,
    responses=ex.responds(ex.REFERENCE),
    summary="Programmes, associations with their LGs, groups, topics",
)
async def read_reference(_actor: CurrentActor, db: DatabaseDep) -> ReferencePublic:
    async with db.reading() as session:
        local_governments = await _all(session, LocalGovernment)
        associations = [
            AssociationPublic(
                **a.model_dump(),
                local_governments=[
                    LocalGovernmentPublic.model_validate(lg, from_attributes=True)
                    for lg in local_governments
                    if lg.association == a.code
                ],
            )
            for a in await _all(session, Association)
        ]
        return ReferencePublic(
            version=await session.scalar(
                select(ReferenceLoad.version).order_by(col(ReferenceLoad.loaded_at).desc()).limit(1)
            ),
            programmes=[
                ProgrammePublic.model_validate(p, from_attributes=True) for p in await _all(session, Programme)
            ],
            economies=[EconomyPublic.model_validate(e, from_attributes=True) for e in await _all(session, Economy)],
            associations=associations,
            groups=[LabelPublic.model_validate(g, from_attributes=True) for g in await _all(session, VulnerableGroup)],
            topics=[LabelPublic.model_validate(t, from_attributes=True) for t in await _all(session, SocialTopic)],
        )


@router.put(
    "/programmes/{code}",
    response_model=ProgrammePublic,
    responses=ex.responds({"code": "SoRi 3", **ex.PROGRAMME, "note": ""}),
    summary="Add or edit a programme (nalas)",
)
async def put_programme(
    code: CodePath, body: Annotated[ProgrammeBase, ex.example_body(ex.PROGRAMME)], actor: CurrentActor, db: DatabaseDep
) -> Programme:
    domain.require_nalas(actor)
    domain.require_period(body.starts_on, body.ends_on)
    async with db.transaction() as session:
        return await _save(session, actor, "programmes", Programme.model_validate(body, update={"code": code}))


@router.put(
    "/associations/{code}",
    response_model=AssociationPublic,
    responses=ex.responds(ex.REFERENCE["associations"][0]),
    summary="Add or edit an association (nalas)",
)
async def put_association(
    code: CodePath,
    body: Annotated[AssociationBase, ex.example_body(ex.ASSOCIATION)],
    actor: CurrentActor,
    db: DatabaseDep,
) -> AssociationPublic:
    domain.require_nalas(actor)
    async with db.transaction() as session:
        await _require_entry(session, Economy, body.economy, "economy")
        saved = await _save(session, actor, "associations", Association.model_validate(body, update={"code": code}))
        members = await session.scalars(select(LocalGovernment).where(LocalGovernment.association == code))
        return AssociationPublic(
            **saved.model_dump(),
            local_governments=[LocalGovernmentPublic.model_validate(lg, from_attributes=True) for lg in members],
        )


@router.put(
    "/local-governments/{code}",
    response_model=LocalGovernmentPublic,
    responses=ex.responds({"code": "MK-KUMANOVO", **ex.LOCAL_GOVERNMENT}),
    summary="Add or edit a local government (nalas)",
)
async def put_local_government(
    code: CodePath,
    body: Annotated[LocalGovernmentBase, ex.example_body(ex.LOCAL_GOVERNMENT)],
    actor: CurrentActor,
    db: DatabaseDep,
) -> LocalGovernment:
    domain.require_nalas(actor)
    entry = LocalGovernment.model_validate(body, update={"code": code})
    async with db.transaction() as session:
        await _require_entry(session, Association, body.association, "association")
        return await _save(session, actor, "local-governments", entry)


@router.put(
    "/groups/{code}",
    response_model=LabelPublic,
    responses=ex.responds({"code": "persons_with_disabilities", **ex.GROUP}),
    summary="Add or edit a vulnerable group (nalas)",
)
async def put_group(
    code: CodePath, body: Annotated[LabelBase, ex.example_body(ex.GROUP)], actor: CurrentActor, db: DatabaseDep
) -> VulnerableGroup:
    domain.require_nalas(actor)
    async with db.transaction() as session:
        return await _save(session, actor, "groups", VulnerableGroup.model_validate(body, update={"code": code}))


@router.put(
    "/topics/{code}",
    response_model=LabelPublic,
    responses=ex.responds({"code": "social_services", **ex.TOPIC}),
    summary="Add or edit a social topic (nalas)",
)
async def put_topic(
    code: CodePath, body: Annotated[LabelBase, ex.example_body(ex.TOPIC)], actor: CurrentActor, db: DatabaseDep
) -> SocialTopic:
    domain.require_nalas(actor)
    async with db.transaction() as session:
        return await _save(session, actor, "topics", SocialTopic.model_validate(body, update={"code": code}))


async def _all(session: AsyncSession, table: type[Entry]) -> list[Entry]:
    return list(await session.scalars(select(table).order_by(table.code)))  # type: ignore[attr-defined]


async def _require_entry(session: AsyncSession, table: type[SQLModel], code: str, kind: str) -> None:
    if await session.get(table, code) is None:
        raise CommandRefused(RefusalKind.INVALID, f"unknown {kind} {code!r} (see GET /roadmaps/v1/reference)")


async def _save(session: AsyncSession, actor: Actor, kind: str, entry: Entry) -> Entry:
    """Insert or replace the entry and tell the other services, in the caller's transaction."""
    saved = await session.merge(entry)
    await add_event(session, entry_changed(kind, entry, actor))
    return saved
