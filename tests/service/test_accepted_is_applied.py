"""Whatever a service accepts, every consumer applies.

Random valid-looking requests (schemathesis, from each producing service's own OpenAPI) go to roadmaps, the working
group and social approaches, with the ids in their paths and bodies pointing at things that exist, so that many are
accepted. For every 2xx, each event the service put in its outbox must be read by the consumers' own parser
(`sori.batches.parse_body`, the size limit included) and applied, with nothing refused and nothing raised, by every
consumer that takes it: progress and notifications through their real handlers on their own databases, and the
bridge through its real forwarding into a lifecycle (SoRi's Temporal payload converter included). A refused request
must have put nothing in the outbox.
"""

import asyncio
import json
import math
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from httpx import ASGITransport, AsyncClient
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pydantic import TypeAdapter
from schemathesis.core.result import Err
from sqlalchemy import select
from temporalio.client import Client

from contracts.envelope import Envelope
from contracts.lifecycle import RecommendationStatus as S
from contracts.registry import InvalidEvent
from services.notifications.app import SPEC as NOTIFICATIONS
from services.progress.app import SPEC as PROGRESS
from sori.batches import BatchHandler, Delivery, parse_body
from sori.db import Database
from sori.outbox import outbox_table
from sori.service import ServiceSpec, once_per_event
from sori.settings import Settings
from sori.temporal import DATA_CONVERTER
from tests.support.actors import header
from tests.support.openapi import BASE_URL, request_kwargs
from tests.support.roadmaps import a_drafted_recommendation, assign, draft, settle
from tests.support.roadmaps import plan as milestone_plan
from tests.support.services import ServiceUnderTest, empty_schema, service_under_test, spec_and_factory
from tests.support.social_approaches import create_approach, create_mapping, evidence
from tests.support.social_approaches import plan as planned_milestone
from tests.support.tokens import Tokens
from tests.support.working_group import E_LEARNING_COURSE, TRAINING_CYCLE, plan_meeting, recommendation_in
from tests.support.working_group import plan as plan_action
from workflows.bridge import LifecycleBridge
from workflows.machine import LifecycleMachine
from workflows.messages import DomainEvent, LifecycleInput, LifecycleState
from workflows.worker import SPEC as WORKFLOWS

EXAMPLES = 10  # per operation; four times as many where the body carries a figure, where JSON and Python disagree
FIGURE_EXAMPLES = 4 * EXAMPLES
INDICATORS = ["people attending weekly", "women attending", "places"]
WRITES = {"post", "put", "patch", "delete"}
# Who sends each producer's requests: those who may do the most there, drawn at random per request.
CALLERS = {
    "roadmaps": ["lga ZELS", "nalas"],
    "working_group": ["nalas"],
    "social_approaches": ["lg assigned"],
}
# Body fields that name things by id, and the kind of thing (a key of the world) they name.
BODY_IDS = {
    "evidence_ids": "evidence_id",
    "mapping_id": "mapping_id",
    "meeting_id": "meeting_id",
    "agenda": "recommendation_id",
    "recommendation_ids": "recommendation_id",
    "indicator": "indicator",
}

# Mostly the figures as generated; now and then one that JSON cannot carry, though a client can send it.
FIGURES = st.sampled_from([None, None, math.inf, math.inf, -math.inf, math.nan])

World = dict[str, list[str]]


# --- the consumers ----------------------------------------------------------------------------------------------


class LifecycleInProcess:
    """Temporal's side of the bridge's signal-with-start, in process: the events pass SoRi's payload converter, as
    they would on their way to the worker, and are applied by one lifecycle machine per recommendation."""

    def __init__(self) -> None:
        self.machines: dict[UUID, LifecycleMachine] = {}

    async def start_workflow(self, _run: Any, start: LifecycleInput, *, start_signal_args: list[Any], **_: Any) -> None:
        converter = DATA_CONVERTER.payload_converter
        [events] = converter.from_payloads(converter.to_payloads(start_signal_args), [list[DomainEvent]])
        rid = start.recommendation_id
        machine = self.machines.setdefault(rid, LifecycleMachine(LifecycleState(recommendation_id=rid), start.clocks))
        for event in events:
            machine.apply(event, datetime.now(UTC))


@dataclass
class Consumers:
    """Every consumer of the producers' topics, each applying events as it does behind Kafka."""

    handlers: dict[str, tuple[ServiceSpec, BatchHandler]]
    bridge: LifecycleBridge

    async def problems_with(self, envelope: Envelope) -> list[str]:
        delivery = [Delivery(envelope, envelope.data.TOPIC, None)]
        found = []
        appliers: list[tuple[str, BatchHandler]] = [
            (name, handle)
            for name, (spec, handle) in self.handlers.items()
            if spec.consumer is not None and spec.consumer.takes(envelope.type)
        ]
        appliers.append(("bridge", self.bridge.forward))
        for name, apply in appliers:
            try:
                refused = await apply(delivery)
            except Exception as exc:  # a consumer that raises redelivers the poll for ever: that is the finding
                found.append(f"{name} raised {exc!r}")
                continue
            found += [f"{name} refused it: {reason}" for reason in refused.values()]
        return found


@asynccontextmanager
async def consumers(settings: Settings) -> AsyncIterator[Consumers]:
    async with AsyncExitStack() as stack:
        handlers = {}
        for spec in (PROGRESS, NOTIFICATIONS):
            db: Database = await stack.enter_async_context(empty_schema(settings, spec))
            assert spec.consumer is not None
            handlers[spec.name] = (spec, once_per_event(db, spec.consumer))
        bridge = LifecycleBridge(settings, await stack.enter_async_context(empty_schema(settings, WORKFLOWS)))
        bridge.client = cast(Client, LifecycleInProcess())
        yield Consumers(handlers, bridge)


# --- the producers' worlds: things that exist, so that requests get past "not found" ------------------------------


async def roadmaps_world(sut: ServiceUnderTest, tokens: Tokens) -> World:
    drafted = await a_drafted_recommendation(sut, tokens)
    endorsed, in_implementation = [(await draft(sut, tokens, drafted["roadmap_id"]))["id"] for _ in range(2)]
    for recommendation_id in (endorsed, in_implementation):
        await settle(sut, recommendation_id, S.ENDORSED)
    assigned = (await assign(sut, tokens, in_implementation, milestone_plan())).json()
    return {
        "roadmap_id": [drafted["roadmap_id"]],
        "recommendation_id": [drafted["id"], endorsed, in_implementation],
        "milestone_id": [m["id"] for m in assigned["milestones"]],
        "number": ["1"],
    }


async def working_group_world(sut: ServiceUnderTest, tokens: Tokens) -> World:
    recommendations = [str(await recommendation_in(sut, status)) for status in (S.SUBMITTED, S.UNDER_REVIEW)]
    recommendations.append(str(await recommendation_in(sut, S.IMPLEMENTED)))
    meeting = await plan_meeting(sut, tokens, [UUID(recommendations[0])])
    nalas = header("nalas", tokens.secret)
    actions = [await plan_action(sut, nalas, action) for action in (TRAINING_CYCLE, E_LEARNING_COURSE)]
    return {"recommendation_id": recommendations, "meeting_id": [meeting], "action_id": actions}


async def social_approaches_world(sut: ServiceUnderTest, tokens: Tokens) -> World:
    recommendation_id, milestone_id = await planned_milestone(sut, indicators=INDICATORS)
    mapping = await create_mapping(sut, tokens)
    approach = await create_approach(sut, tokens, mapping_id=mapping["id"])
    return {
        "recommendation_id": [str(recommendation_id)],
        "milestone_id": [str(milestone_id)],
        "evidence_id": [await evidence(sut, tokens)],
        "mapping_id": [mapping["id"]],
        "approach_id": [approach["id"]],
        "indicator": INDICATORS,
    }


WORLDS = {
    "roadmaps": roadmaps_world,
    "working_group": working_group_world,
    "social_approaches": social_approaches_world,
}


def with_known_ids(value: Any, world: World, draw: Callable[[list[str]], str], kind: str | None = None) -> Any:
    """The body with each id-naming field pointing at something of its kind that exists; the items of a list of
    objects (a report's indicators) each name another one, as far as there are enough."""
    if isinstance(value, dict):
        return {key: with_known_ids(item, world, draw, BODY_IDS.get(key)) for key, item in value.items()}
    if isinstance(value, list):
        return [with_known_ids(item, world, _nth(world, i, draw), kind) for i, item in enumerate(value)]
    if kind in world and isinstance(value, str):
        return draw(world[kind])
    return value


def _nth(world: World, position: int, draw: Callable[[list[str]], str]) -> Callable[[list[str]], str]:
    def nth(choices: list[str]) -> str:
        return choices[position] if position < len(choices) else draw(choices)

    return nth


def with_figures(value: Any, figure: float | None) -> Any:
    """The body with every number replaced by `figure`, where one is given (as 1e309 would be read: inf)."""
    if isinstance(value, dict):
        return {key: with_figures(item, figure) for key, item in value.items()}
    if isinstance(value, list):
        return [with_figures(item, figure) for item in value]
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return figure if figure is not None and is_number else value


def carries_figures(app: FastAPI, operation: Any) -> bool:
    """Whether the operation's request body has a fractional number anywhere in it."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if context.path_format == operation.path and operation.method.upper() in (context.methods or ()):
            body = route.body_field if isinstance(route, APIRoute) else None
            if body is None or body.field_info.annotation is None:
                return False
            return '"number"' in json.dumps(TypeAdapter(body.field_info.annotation).json_schema())
    return False


# --- the run ------------------------------------------------------------------------------------------------------


@dataclass
class Findings:
    accepted: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)


async def outbox_after(db: Database, seq: int) -> list[tuple[int, bytes]]:
    async with db.sessions() as session:
        rows = await session.execute(
            select(outbox_table.c.seq, outbox_table.c.body).where(outbox_table.c.seq > seq).order_by(outbox_table.c.seq)
        )
        return [(row.seq, bytes(row.body)) for row in rows]


@contextmanager
def running(producer: str, home: Path) -> Iterator[tuple[asyncio.Runner, ServiceUnderTest, Consumers, World]]:
    settings = Settings(SORI_HOME=home, DATABASE_URL=None, SORI_SECRET=secrets.token_urlsafe(32))
    spec, factory = spec_and_factory(producer)
    with asyncio.Runner() as runner:
        stack = AsyncExitStack()
        try:
            sut = runner.run(stack.enter_async_context(service_under_test(settings, spec, factory)))
            applying = runner.run(stack.enter_async_context(consumers(settings)))
            world = runner.run(WORLDS[producer](sut, Tokens(settings.signing_secret)))
            yield runner, sut, applying, world
        finally:
            runner.run(stack.aclose())


def check_operation(
    producer: str,
    runner: asyncio.Runner,
    sut: ServiceUnderTest,
    applying: Consumers,
    world: World,
    operation: Any,
    found: Findings,
) -> None:
    http = AsyncClient(transport=ASGITransport(app=sut.app, raise_app_exceptions=False), base_url=BASE_URL)
    db: Database = sut.app.state.db
    secret = sut.app.state.settings.signing_secret

    @given(case=operation.as_strategy(), data=st.data())
    @hypothesis_settings(
        max_examples=FIGURE_EXAMPLES if carries_figures(sut.app, operation) else EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def one(case: Any, data: st.DataObject) -> None:
        def draw(choices: list[str]) -> str:
            return data.draw(st.sampled_from(choices))

        case.path_parameters = {
            name: draw(world[name]) if name in world else value for name, value in (case.path_parameters or {}).items()
        }
        if isinstance(case.body, dict | list):
            case.body = with_figures(with_known_ids(case.body, world, draw), data.draw(FIGURES))
        kwargs = request_kwargs(case.as_transport_kwargs(base_url=BASE_URL))
        kwargs.pop("cookies", None)
        if "json" in kwargs:  # as Python's json writes it: NaN and Infinity as the bare words a client may send
            kwargs["content"] = json.dumps(kwargs.pop("json")).encode()
        kwargs["headers"] = {**kwargs.get("headers", {}), **header(draw(CALLERS[producer]), secret)}
        last = runner.run(outbox_after(db, 0))
        seen = last[-1][0] if last else 0
        response = runner.run(http.request(**kwargs))
        written = runner.run(outbox_after(db, seen))
        label = f"{operation.label} → {response.status_code}"
        if not response.is_success:
            found.problems += [f"{label} refused, yet put an event in the outbox"] if written else []
            return
        found.accepted += 1
        for _seq, body in written:
            found.events += 1
            try:
                envelope = parse_body(body)
            except InvalidEvent as exc:
                found.problems.append(f"{label}: its event is dead-lettered by every consumer: {exc}")
                continue
            found.problems += [f"{label}: {envelope.type}: {p}" for p in runner.run(applying.problems_with(envelope))]

    one()
    runner.run(http.aclose())


@pytest.mark.parametrize("producer", list(WORLDS))
def test_every_event_of_an_accepted_request_is_applied_by_every_consumer(producer: str, tmp_path: Path) -> None:
    found = Findings()
    with running(producer, tmp_path / producer) as (runner, sut, applying, world):
        schema = schemathesis.openapi.from_dict(sut.app.openapi())
        for result in schema.get_all_operations():
            if isinstance(result, Err):
                raise result.err()
            operation = result.ok()
            if operation.method.lower() in WRITES:
                check_operation(producer, runner, sut, applying, world, operation, found)

    assert found.accepted > 0, found
    assert found.events > 0, found
    assert found.problems == [], "\n".join(found.problems[:20])
