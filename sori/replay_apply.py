"""Applying replayed events with a service's own handlers, many to a transaction, each event once."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.registry import InvalidEvent, parse_event
from sori.db import Database
from sori.inbox import inbox_table
from sori.service import Consumer


class FreshSession(AsyncSession):
    """A session over tables that start empty and that only it writes: a row it has not made does not exist.

    So `get` answers from what this session made, without a SELECT (and the autoflush before it) per miss;
    the rows stay referenced across commits so that later batches update the same objects.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.made: dict[tuple[type[Any], Any], Any] = {}

    async def get(self, entity: Any, ident: Any, **_options: Any) -> Any:
        return self.made.get((entity, ident))

    def add(self, instance: object, *, _warn: bool = True) -> None:
        super().add(instance, _warn=_warn)
        (key,) = inspect(instance).mapper.primary_key_from_instance(instance)
        self.made[(type(instance), key)] = instance


class ReplayApplier:
    """Feeds raw events to the consumer's handlers; the inbox it fills is the one the live consumer then checks."""

    def __init__(self, db: Database, consumer: Consumer) -> None:
        self.consumer = consumer
        sessions = async_sessionmaker(db.engine, class_=FreshSession, expire_on_commit=False)
        self.session: AsyncSession = sessions()
        self.seen: set[UUID] = set()
        self.claimed: list[dict[str, Any]] = []
        self.events = self.applied = self.repeats = self.invalid = 0

    async def apply(self, bodies: Sequence[bytes]) -> None:
        for body in bodies:
            self.events += 1
            try:
                event = parse_event(body)
            except InvalidEvent:
                self.invalid += 1  # the live consumer sent it to the dead-letter topic already
                continue
            if event.id in self.seen:
                self.repeats += 1
                continue
            self.seen.add(event.id)
            handler = self.consumer.handlers.get(event.type)
            if handler is not None:  # as live: only the events a handler takes are claimed in the inbox
                self.claimed.append({"consumer": self.consumer.group, "event_id": event.id})
                await handler(self.session, event)
                self.applied += 1

    @property
    def uncommitted(self) -> int:
        return len(self.claimed)

    async def commit(self) -> None:
        if self.claimed:
            rows, self.claimed = self.claimed, []
            # Many rows, one cached statement; no duplicates to ignore, as `seen` let each event in once.
            await self.session.execute(inbox_table.insert(), rows)
        await self.session.commit()

    async def close(self) -> None:
        await self.session.close()
