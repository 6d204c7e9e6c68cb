"""Spans are recorded only while something exports them; unrecorded, they still carry the trace onwards."""

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.sampling import Decision

from sori.telemetry import RecordedWhileExported


def test_a_span_is_not_recorded_while_nothing_exports_it() -> None:
    sampler = RecordedWhileExported()
    assert sampler.should_sample(None, 1, "GET /").decision is Decision.DROP
    sampler.exported = True
    assert sampler.should_sample(None, 1, "GET /").decision is Decision.RECORD_AND_SAMPLE


def test_an_unrecorded_span_still_has_the_ids_the_trace_travels_with() -> None:
    tracer = TracerProvider(sampler=RecordedWhileExported()).get_tracer("test")
    with tracer.start_as_current_span("parent") as parent, tracer.start_as_current_span("child") as child:
        assert not parent.is_recording()
        assert parent.get_span_context().is_valid
        assert child.get_span_context().trace_id == parent.get_span_context().trace_id
