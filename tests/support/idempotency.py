"""The Idempotency-Key rule, checked on one creating command of a service under test: the same key and body again
answer the first answer and write nothing; another body with the key is refused (409) naming the key; once the key
has expired (the service's clock turned past SORI_IDEMPOTENCY_HOURS), the key is free for another request."""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from uuid import uuid4

import httpx
from sqlalchemy import func, select

from sori.db import Database
from sori.idempotency import HEADER, REPLAYED, keys_table, utc_now
from sori.outbox import outbox_table
from sori.settings import Settings
from sori.tables import table_of
from tests.support.services import ServiceUnderTest

# Sends the command with these extra headers: its body, or (True) another valid body for it.
Send = Callable[[dict[str, str], bool], Awaitable[httpx.Response]]


async def written(sa: ServiceUnderTest, rows_in: type[Any]) -> tuple[int, list[str]]:
    """How many rows the command's model has, and the types of the events in the outbox."""
    db: Database = sa.app.state.db
    async with db.reading() as session:
        rows = (await session.execute(select(func.count()).select_from(table_of(rows_in)))).scalar_one()
        events = (await session.execute(select(outbox_table.c.type).order_by(outbox_table.c.seq))).scalars()
        return rows, list(events)


async def check_idempotency(
    sa: ServiceUnderTest, send: Send, rows_in: type[Any], event_type: str | None, *, creates_again: bool = True
) -> None:
    """`event_type`: the event the command queues (None: it queues none); `creates_again`: False where the service
    allows one of the thing alone (one roadmap per programme), so that after the key expires the other body meets
    the service's own refusal instead of a key's."""
    key = str(uuid4())
    with_key = {HEADER: key}
    rows, events = await written(sa, rows_in)
    queued = [event_type] if event_type else []

    first = await send(with_key, False)
    again = await send(with_key, False)

    assert first.status_code == 201, first.text
    assert (again.status_code, again.content) == (201, first.content), again.text
    assert again.headers[REPLAYED] == "true"
    assert again.headers["content-type"] == first.headers["content-type"]
    assert REPLAYED not in first.headers
    assert await written(sa, rows_in) == (rows + 1, events + queued)

    other = await send(with_key, True)

    assert other.status_code == 409, other.text
    assert other.json()["detail"].startswith(f"the Idempotency-Key {key!r} was used for another request")
    assert other.json()["code"] == "idempotency_key_reused"
    assert await written(sa, rows_in) == (rows + 1, events + queued)

    settings: Settings = sa.app.state.settings
    sa.app.state.clock = lambda: utc_now() + timedelta(hours=settings.idempotency_hours, seconds=1)
    after_expiry = await send(with_key, True)

    assert REPLAYED not in after_expiry.headers
    if creates_again:
        assert after_expiry.status_code == 201, after_expiry.text
        assert await written(sa, rows_in) == (rows + 2, events + queued * 2)
    else:
        assert after_expiry.status_code == 409, after_expiry.text
        assert after_expiry.json()["code"] != "idempotency_key_reused"
        assert await written(sa, rows_in) == (rows + 1, events + queued)
    db: Database = sa.app.state.db
    async with db.reading() as session:  # one row: the expired one replaced where the command ran, kept where refused
        kept = (await session.execute(select(keys_table.c.caller).where(keys_table.c.key == key))).scalars()
        assert len(list(kept)) == 1
