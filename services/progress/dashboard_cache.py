"""The dashboard as last computed, per choice of filters: readers under a stream of writes need not each scan the
projections again.

An answer is reused while nothing was committed since it was computed; while the projections keep changing it is
reused for up to `SORI_DASHBOARD_MAX_AGE_SECONDS`. Past that age a newer one is computed in the background and the
older one served meanwhile, so no reader waits for a computation, unless the answer is older than
`SORI_DASHBOARD_STALE_SECONDS` (a quiet hour followed by one commit): then the reader waits for the new one. Readers
asking at the same time share one computation, and the first reader after the writes pause starts the exact one.
"""

import asyncio
import math
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from services.progress.dashboard import dashboard
from services.progress.schemas import Dashboard
from sori.db import Database

KEPT = 64  # choices of filters remembered; the least recently read goes first


@dataclass(frozen=True)
class Filters:
    programme: str | None = None
    economy: str | None = None
    association: str | None = None


@dataclass(frozen=True)
class _Answer:
    dashboard: Dashboard
    json: bytes  # written once: a loaded programme's dashboard takes longer to serialise than to read
    generation: int  # of the projections it was computed from
    at: float


class Dashboards:
    def __init__(self, db: Database, max_age_seconds: float, stale_seconds: float) -> None:
        self.db = db
        self.max_age = max_age_seconds
        self.stale = stale_seconds
        self.generation = 0
        self.answers: OrderedDict[Filters, _Answer] = OrderedDict()
        self.computing: dict[Filters, asyncio.Future[_Answer]] = {}
        db.after_commit(self.changed)

    def changed(self) -> None:
        self.generation += 1

    async def read(self, filters: Filters) -> Dashboard:
        return (await self._answer(filters)).dashboard

    async def read_json(self, filters: Filters) -> bytes:
        return (await self._answer(filters)).json

    async def _answer(self, filters: Filters) -> _Answer:
        answer = self.answers.get(filters)
        age = math.inf if answer is None else time.monotonic() - answer.at
        if answer is not None and (answer.generation == self.generation or age < self.max_age):
            self.answers.move_to_end(filters)
            return answer
        computing = self._shared_computation(filters)
        if answer is not None and age < self.stale:
            self.answers.move_to_end(filters)
            return answer
        # A reader that gives up does not cancel the computation the others wait for.
        return await asyncio.shield(computing)

    def _shared_computation(self, filters: Filters) -> asyncio.Future[_Answer]:
        computing = self.computing.get(filters)
        if computing is None:
            computing = asyncio.ensure_future(self._compute(filters))
            self.computing[filters] = computing
            computing.add_done_callback(lambda done: self._settle(filters, done))
        return computing

    def _settle(self, filters: Filters, done: asyncio.Future[_Answer]) -> None:
        del self.computing[filters]
        if not done.cancelled():
            done.exception()  # retrieved here too: every reader may have gone before it failed

    async def _compute(self, filters: Filters) -> _Answer:
        generation = self.generation
        async with self.db.reading() as session:
            board = await dashboard(
                session, programme=filters.programme, economy=filters.economy, association=filters.association
            )
        answer = _Answer(board, board.model_dump_json().encode(), generation, time.monotonic())
        self.answers[filters] = answer
        self.answers.move_to_end(filters)
        while len(self.answers) > KEPT:
            self.answers.popitem(last=False)
        return answer


async def _dashboards(request: Request) -> Dashboards:
    state = request.app.state
    if not hasattr(state, "dashboards"):  # made on first use: no answer is kept before, so no commit is missed
        state.dashboards = Dashboards(
            state.db, state.settings.dashboard_max_age_seconds, state.settings.dashboard_stale_seconds
        )
    dashboards: Dashboards = state.dashboards
    return dashboards


DashboardsDep = Annotated[Dashboards, Depends(_dashboards)]
