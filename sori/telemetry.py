"""Tracing: W3C trace context from the HTTP request through the outbox, Kafka, the bridge and Temporal to every
consumer, so that one command is one trace across all hops.

Spans are exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; without it they are made unrecorded, so that
the trace context travels, but go nowhere.
"""

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from fastapi.telemetry import TelemetryConfig
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON, Sampler, SamplingResult
from opentelemetry.util.types import Attributes
from starlette.types import Receive, Scope, Send

from sori.asgi import HttpMiddleware

TRACEPARENT = "traceparent"
tracer = trace.get_tracer("sori")
# FastAPI's own telemetry would make a second server span per request beside TracingMiddleware's (and metrics
# beside /metrics'): off, for every app.
FASTAPI_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


class RecordedWhileExported(Sampler):
    """Spans that go nowhere are not recorded: unrecorded, they still carry the trace's ids onwards, at a fraction of
    the cost (an HTTP request's span was ~9 % of a light request's CPU)."""

    def __init__(self) -> None:
        self.exported = False

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: trace.SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[trace.Link] | None = None,
        trace_state: trace.TraceState | None = None,
    ) -> SamplingResult:
        decide = ALWAYS_ON if self.exported else ALWAYS_OFF
        return decide.should_sample(parent_context, trace_id, name, kind, attributes, links, trace_state)

    def get_description(self) -> str:
        return "RecordedWhileExported"


_SAMPLER = RecordedWhileExported()


def configure_tracing(service: str) -> None:
    """Install the process's tracer provider once; a provider installed before (e.g. by a test) is kept."""
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    resource = Resource.create({"service.name": f"sori-{service}"})
    trace.set_tracer_provider(TracerProvider(resource=resource, sampler=_SAMPLER))
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        export_spans(BatchSpanProcessor(OTLPSpanExporter()))


def export_spans(processor: SpanProcessor) -> None:
    """From now on spans are recorded, and `processor` gets each one that ends."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        raise RuntimeError("configure_tracing comes first: there is no tracer provider to export from")
    provider.add_span_processor(processor)
    _SAMPLER.exported = True


def current_trace_context() -> str | None:
    """The `traceparent` of the current span, to be carried where context variables cannot go."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get(TRACEPARENT)


@contextmanager
def continued(traceparent: str | None, name: str) -> Iterator[trace.Span]:
    """A span that continues the trace a carried `traceparent` names (or starts one where none is carried)."""
    context = propagate.extract({TRACEPARENT: traceparent}) if traceparent else None
    with tracer.start_as_current_span(name, context=context, kind=trace.SpanKind.CONSUMER) as span:
        yield span


class TracingMiddleware(HttpMiddleware):
    """Each HTTP request runs in a span that continues the caller's `traceparent`, if it sent one."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        context = propagate.extract(headers)
        name = f"{scope['method']} {scope['path']}"
        with tracer.start_as_current_span(name, context=context, kind=trace.SpanKind.SERVER):
            await self.app(scope, receive, send)
