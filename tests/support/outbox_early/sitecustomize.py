"""A deliberately broken build, for the soak's own test: a command's event is published as soon as it is queued,
before its transaction commits, and one transaction in FAILING then fails, as a commit can (a lost connection, a
conflict): its event is out, its change is not. On PYTHONPATH, Python runs this module in every process it starts
(see tests/support/inbox_off). Nothing in SoRi's code knows of it."""

import asyncio
import random
from typing import Any

import sori.outbox

FAILING = 0.25
_queued = sori.outbox.add_event
_broker: dict[str, Any] = {}
_starting = asyncio.Lock()


async def _kafka() -> Any:
    from sori.kafka import KafkaSink, make_broker, start_broker  # only in a process that writes, not in every one
    from sori.settings import Settings

    async with _starting:
        if not _broker:
            broker = make_broker(Settings(), "outbox-early")
            await start_broker(broker)
            _broker["sink"] = KafkaSink(broker)
    return _broker["sink"]


async def _published_before_commit(session: Any, envelope: Any, *, key: str | None = None) -> None:
    await _queued(session, envelope, key=key)
    topic, body = envelope.data.TOPIC, envelope.to_json()
    message = sori.outbox.OutboxMessage(0, topic, key or envelope.subject, envelope.type, str(envelope.id), body)
    await (await _kafka()).send([message])
    if random.random() < FAILING:
        raise RuntimeError("the transaction failed after its event was published")


# Before the services are imported, so that they take this one (they import the name).
sori.outbox.add_event = _published_before_commit
