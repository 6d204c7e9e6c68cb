"""Tracing: W3C trace context from the HTTP request through the outbox, Kafka, the bridge and Temporal to every
consumer, so that one command is one trace across all hops.

Spans are exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; without it they are still made, so that the
trace context travels, but go nowhere.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from starlette.types import ASGIApp, Receive, Scope, Send

TRACEPARENT = "traceparent"
tracer = trace.get_tracer("sori")


def configure_tracing(service: str) -> None:
    """Install the process's tracer provider once; a provider installed before (e.g. by a test) is kept."""
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    provider = TracerProvider(resource=Resource.create({"service.name": f"sori-{service}"}))
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)


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


class TracingMiddleware:
    """Each HTTP request runs in a span that continues the caller's `traceparent`, if it sent one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        context = propagate.extract(headers)
        name = f"{scope['method']} {scope['path']}"
        with tracer.start_as_current_span(name, context=context, kind=trace.SpanKind.SERVER):
            await self.app(scope, receive, send)
