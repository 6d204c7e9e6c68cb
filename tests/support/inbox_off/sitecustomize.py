"""A deliberately broken build, for the soak's own test: every consumer's inbox check is off, so an event delivered
again is applied again. On PYTHONPATH, Python runs this module in every process it starts: the soak, `sori up`, and
each part `sori up` starts (they inherit the environment). Nothing in SoRi's code knows of it."""

from collections.abc import Iterable
from uuid import UUID

import sori.inbox


async def _every_event_new(_session: object, _consumer: str, event_ids: Iterable[UUID]) -> set[UUID]:
    return set(event_ids)


# Before `sori.service` is imported, so that it takes this one (it imports the name).
sori.inbox.claim_all = _every_event_new  # type: ignore[assignment]
