"""One command is one trace: the W3C trace context of an LGA's submit request follows the recommendation through
the outbox, Kafka, the bridge, Temporal, the lifecycle event and the progress projection."""

import secrets
from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from fastapi import FastAPI
from faststream.kafka import TestKafkaBroker
from httpx import ASGITransport, AsyncClient
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import select

from contracts.envelope import Role
from contracts.registry import parse_event
from contracts.roadmaps import ReferenceEntryChanged
from contracts.topics import LIFECYCLE, ROADMAPS
from services.progress.app import SPEC as PROGRESS
from services.progress.app import create_app as create_progress
from services.roadmaps.app import SPEC as ROADMAPS_SPEC
from services.roadmaps.app import create_app as create_roadmaps
from sori.kafka import make_broker
from sori.outbox import outbox_table
from sori.settings import Settings
from sori.telemetry import TRACEPARENT, configure_tracing, export_spans
from sori.temporal import connect_temporal
from tests.polling import eventually
from tests.support.services import ServiceUnderTest, service_under_test
from tests.support.tokens import Tokens
from tests.workflow.worlds import LifecycleWorld, running_world, time_skipping_server
from workflows.bridge import create_app as create_bridge

pytestmark = pytest.mark.workflow


@pytest.fixture
def spans() -> InMemorySpanExporter:
    configure_tracing("tests")
    exporter = InMemorySpanExporter()
    export_spans(SimpleSpanProcessor(exporter))
    return exporter


@pytest.fixture
async def traced_world(settings: Settings) -> AsyncIterator[tuple[LifecycleWorld, Settings]]:
    env = await time_skipping_server()
    target = env.client.service_client.config.target_host
    traced = settings.model_copy(update={"temporal_address": target, "temporal_task_queue": f"traced-{uuid4()}"})
    client = await connect_temporal(traced)  # the production client, with its tracing interceptor
    async with running_world(traced, env, client=client) as world:
        yield world, traced


async def told_of_recommendations(service: ServiceUnderTest) -> list[tuple[bytes, dict[str, str]]]:
    """What roadmaps published on its topic with its headers, without the reference data it loaded at start."""
    published = zip(service.published.raw.get(ROADMAPS, []), service.published.headers.get(ROADMAPS, []), strict=True)
    return [(body, headers) for body, headers in published if parse_event(body).type != ReferenceEntryChanged.TYPE]


async def ready(app: FastAPI) -> None:
    """The bridge connects to Temporal in the background; wait until its /readyz says it has."""
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://bridge") as http:
        await eventually(lambda: http.get("/readyz"), until=lambda r: r.status_code == 200)


def trace_id_of(traceparent: str) -> str:
    return traceparent.split("-")[1]


async def outbox_traces(service: ServiceUnderTest) -> list[str | None]:
    async with service.app.state.db.reading() as session:
        rows = await session.execute(
            select(outbox_table.c.trace_context)
            .where(outbox_table.c.type != ReferenceEntryChanged.TYPE)
            .order_by(outbox_table.c.seq)
        )
        return list(rows.scalars())


async def test_a_submitted_recommendation_is_one_trace_on_every_hop(
    traced_world: tuple[LifecycleWorld, Settings], tokens: Tokens, spans: InMemorySpanExporter
) -> None:
    world, settings = traced_world
    trace_id = secrets.token_hex(16)
    submit_trace = {TRACEPARENT: f"00-{trace_id}-{secrets.token_hex(8)}-01"}
    lga = tokens.header(Role.LGA, "ZELS")

    async with service_under_test(settings, ROADMAPS_SPEC, create_roadmaps) as roadmaps:
        roadmap = (
            await roadmaps.http.post("/roadmaps/v1/roadmaps", json={"programme": "SoRi 4", "title": "R"}, headers=lga)
        ).json()
        drafted = await roadmaps.http.post(
            f"/roadmaps/v1/roadmaps/{roadmap['id']}/recommendations", json={"title": "Day care"}, headers=lga
        )
        rec = drafted.json()["id"]
        submitted = await roadmaps.http.post(
            f"/roadmaps/v1/recommendations/{rec}/submit", headers={**lga, **submit_trace}
        )
        assert submitted.status_code == 200, submitted.text
        roadmaps_events = await eventually(lambda: told_of_recommendations(roadmaps), until=lambda e: len(e) == 2)
        roadmaps_traces = await outbox_traces(roadmaps)

    # hop: outbox row and Kafka header of the submitted event
    assert trace_id_of(roadmaps_traces[1] or "") == trace_id
    assert trace_id_of(roadmaps_events[1][1][TRACEPARENT]) == trace_id

    bridge_broker = make_broker(settings, client_id="bridge-under-test")
    bridge = create_bridge(settings, bridge_broker)
    async with TestKafkaBroker(bridge_broker), bridge.router.lifespan_context(bridge):
        await ready(bridge)
        for body, headers in roadmaps_events:
            await bridge_broker.publish(body, topic=ROADMAPS, headers={TRACEPARENT: headers[TRACEPARENT]})
        lifecycle_rows = await eventually(lambda: world_outbox(world), until=lambda rows: len(rows) == 2)

    # hop: the lifecycle event the workflow wrote for the submission (the trace travels in the workflow's state)
    (_, submitted_row_trace) = lifecycle_rows[1]
    assert trace_id_of(submitted_row_trace or "") == trace_id

    async with service_under_test(settings, PROGRESS, create_progress) as progress:
        for body, row_trace in lifecycle_rows:
            await progress.deliver_with_headers(LIFECYCLE, body, {TRACEPARENT: row_trace or ""})
        status = await progress.http.get(f"/progress/v1/recommendations/{rec}", headers=lga)
        assert status.json()["status"] == "submitted"

    in_trace = {s.name for s in spans.get_finished_spans() if format(s.context.trace_id, "032x") == trace_id}
    assert {
        f"POST /roadmaps/v1/recommendations/{rec}/submit",
        f"consume {ROADMAPS} (lifecycle-bridge)",
        "SignalWithStartWorkflow:RecommendationLifecycle",
        f"consume {LIFECYCLE} (progress)",
    } <= in_trace, " | ".join(sorted(in_trace))


async def world_outbox(world: LifecycleWorld) -> list[tuple[bytes, str | None]]:
    async with world.db.reading() as session:
        rows = await session.execute(
            select(outbox_table.c.body, outbox_table.c.trace_context).order_by(outbox_table.c.seq)
        )
        return [(bytes(body), trace_context) for body, trace_context in rows]
