"""Webhook subscriptions, under /notifications/v1/webhooks, managed by nalas: subscribe, change, pause or re-enable,
rotate the signing secret, unsubscribe, and read the delivery log."""

from uuid import UUID

from fastapi import APIRouter, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Actor
from services.notifications import domain, store
from services.notifications.destinations import check_receiver
from services.notifications.handlers import HEARD_TYPES
from services.notifications.models import Delivery, Webhook
from services.notifications.schemas import DeliveryPublic, WebhookChange, WebhookCreate, WebhookCreated, WebhookPublic
from services.notifications.settings import NotifyDep
from services.notifications.signatures import new_secret
from sori.deps import CurrentActor, DatabaseDep
from sori.errors import CommandRefused, RefusalKind
from sori.idempotency import IdempotentRoute

router = APIRouter(prefix="/webhooks", tags=["webhooks"], route_class=IdempotentRoute)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookCreated,
    summary="Subscribe a URL to events; the signing secret is shown only in this answer",
)
async def create_webhook(body: WebhookCreate, actor: CurrentActor, db: DatabaseDep, notify: NotifyDep) -> Webhook:
    domain.require_nalas(actor)
    check_receiver(str(body.url), notify.webhook_allow_private)
    hook = Webhook(
        url=str(body.url),
        event_types=domain.check_event_types(body.event_types, HEARD_TYPES),
        organisation=body.organisation,
        secret=new_secret(),
    )
    async with db.transaction() as session:
        session.add(hook)
    return hook


@router.get("", response_model=list[WebhookPublic], summary="List webhook subscriptions")
async def list_webhooks(actor: CurrentActor, db: DatabaseDep) -> list[Webhook]:
    domain.require_nalas(actor)
    async with db.reading() as session:
        return await store.webhooks(session)


@router.patch(
    "/{webhook_id}",
    response_model=WebhookPublic,
    summary="Change a subscription's URL, event types or organisation; pause it, or re-enable a disabled one",
)
async def change_webhook(
    webhook_id: UUID, body: WebhookChange, actor: CurrentActor, db: DatabaseDep, notify: NotifyDep
) -> Webhook:
    domain.require_nalas(actor)
    given = body.model_fields_set
    if not given:
        raise CommandRefused(RefusalKind.INVALID, "nothing to change: give url, event_types, organisation or enabled")
    for name in given - {"organisation"}:
        if getattr(body, name) is None:
            raise CommandRefused(RefusalKind.INVALID, f"{name} cannot be null")
    async with db.transaction() as session:
        hook = await store.webhook(session, webhook_id)
        if body.url is not None:
            check_receiver(str(body.url), notify.webhook_allow_private)
            hook.url = str(body.url)
        if body.event_types is not None:
            hook.event_types = domain.check_event_types(body.event_types, HEARD_TYPES)
        if "organisation" in given:
            hook.organisation = body.organisation
        if body.enabled is not None:
            await _switch(session, hook, body.enabled, actor)
        session.add(hook)
    return hook


async def _switch(session: AsyncSession, hook: Webhook, enabled: bool, actor: Actor) -> None:
    if enabled and not hook.enabled:
        # A fresh start: the failure count that disabled it is forgotten, and what waited goes out now.
        hook.enabled, hook.consecutive_failures, hook.disabled_reason = True, 0, None
        await store.release_pending(session, hook.id)
    elif not enabled and hook.enabled:
        hook.enabled, hook.disabled_reason = False, f"paused by {actor.sub}"


@router.post(
    "/{webhook_id}/secret",
    response_model=WebhookCreated,
    summary="Rotate the signing secret: the new one, shown only in this answer, signs every delivery from now on",
)
async def rotate_secret(webhook_id: UUID, actor: CurrentActor, db: DatabaseDep) -> Webhook:
    domain.require_nalas(actor)
    async with db.transaction() as session:
        hook = await store.webhook(session, webhook_id)
        hook.secret = new_secret()
        session.add(hook)
    return hook


@router.delete(
    "/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Unsubscribe: the webhook, its pending deliveries and its log are gone",
)
async def delete_webhook(webhook_id: UUID, actor: CurrentActor, db: DatabaseDep) -> Response:
    domain.require_nalas(actor)
    async with db.transaction() as session:
        await store.webhook(session, webhook_id)
        await store.delete_webhook(session, webhook_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{webhook_id}/deliveries", response_model=list[DeliveryPublic], summary="A webhook's log")
async def list_deliveries(
    webhook_id: UUID, actor: CurrentActor, db: DatabaseDep, limit: int = Query(default=100, ge=1, le=1000)
) -> list[Delivery]:
    domain.require_nalas(actor)
    async with db.reading() as session:
        await store.webhook(session, webhook_id)
        return await store.deliveries(session, webhook_id, limit)
