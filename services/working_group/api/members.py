"""Working-group membership, under /working-group/v1: only nalas registers members, everyone signed in reads."""

from fastapi import APIRouter, status

from services.working_group import domain, store
from services.working_group.models import Member
from services.working_group.schemas.members import MemberCreate, MemberPublic
from sori.deps import CurrentActor, DatabaseDep
from sori.errors import CommandRefused, RefusalKind
from sori.idempotency import IdempotentRoute

router = APIRouter(tags=["working-group"], route_class=IdempotentRoute)


@router.post(
    "/members",
    status_code=status.HTTP_201_CREATED,
    response_model=MemberPublic,
    summary="Register a member of the working group",
)
async def register_member(body: MemberCreate, actor: CurrentActor, db: DatabaseDep) -> Member:
    domain.require_working_group(actor)
    member = Member.model_validate(body)
    async with db.transaction() as session:
        if await store.may_decide(session, body.sub) is not None:
            raise CommandRefused(RefusalKind.CONFLICT, f"{body.sub} is already a registered member")
        session.add(member)
    return member


@router.get("/members", response_model=list[MemberPublic], summary="List the working group's members")
async def list_members(_actor: CurrentActor, db: DatabaseDep) -> list[Member]:
    async with db.reading() as session:
        return await store.members(session)
