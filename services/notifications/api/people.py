"""The people who hear of events, under /notifications/v1/people: nalas registers them, each changes their own
preferences."""

from fastapi import APIRouter, Query, status

from services.notifications import domain, store
from services.notifications.models import Person, Preferences
from services.notifications.schemas import PersonCreate, PersonPublic, refused
from sori.deps import CurrentActor, DatabaseDep
from sori.errors import CommandRefused, RefusalKind
from sori.idempotency import IdempotentRoute

router = APIRouter(tags=["notifications"], route_class=IdempotentRoute)


@router.post("/people", status_code=status.HTTP_201_CREATED, response_model=PersonPublic, summary="Register a person")
async def register_person(body: PersonCreate, actor: CurrentActor, db: DatabaseDep) -> Person:
    domain.require_nalas(actor)
    person = Person.model_validate(body)
    async with db.transaction() as session:
        if await store.person(session, body.sub) is not None:
            raise CommandRefused(RefusalKind.CONFLICT, f"{body.sub} is already registered")
        session.add(person)
    return person


@router.get("/people", response_model=list[PersonPublic], summary="List the people who hear of events")
async def list_people(
    actor: CurrentActor, db: DatabaseDep, organisation: str | None = Query(default=None)
) -> list[Person]:
    domain.require_nalas(actor)
    async with db.reading() as session:
        return await store.people(session, organisation)


@router.get(
    "/people/me",
    response_model=PersonPublic,
    summary="Who I am to notifications, with my preferences",
    responses={404: refused("not registered for notifications")},
)
async def read_me(actor: CurrentActor, db: DatabaseDep) -> Person:
    async with db.reading() as session:
        person = await store.person(session, actor.sub)
    if person is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"{actor.sub} is not registered for notifications")
    return person


@router.put("/people/me/preferences", response_model=PersonPublic, summary="Change my language, channel, frequency")
async def update_my_preferences(body: Preferences, actor: CurrentActor, db: DatabaseDep) -> Person:
    async with db.transaction() as session:
        person = await store.person(session, actor.sub)
        if person is None:
            raise CommandRefused(RefusalKind.NOT_FOUND, f"{actor.sub} is not registered for notifications")
        person.language, person.channel, person.frequency = body.language, body.channel, body.frequency
        session.add(person)
    return person
