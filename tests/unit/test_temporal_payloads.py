"""Temporal payloads: pydantic-aware JSON, with type adapters built once per process, not once per workflow."""

from datetime import timedelta
from uuid import uuid4

from sori.temporal import PayloadConverter, type_adapter
from workflows.messages import LifecycleClocks, LifecycleInput


def test_a_lifecycle_input_travels_and_comes_back_equal() -> None:
    start = LifecycleInput(uuid4(), clocks=LifecycleClocks(review_due_after=timedelta(days=21)))
    converter = PayloadConverter()
    [payload] = converter.to_payloads([start])
    assert converter.from_payloads([payload], [LifecycleInput]) == [start]


def test_a_new_converter_reuses_the_type_adapters_an_earlier_one_built() -> None:
    # The SDK makes a converter per workflow instance: a cache per converter would build them again for each.
    [payload] = PayloadConverter().to_payloads([LifecycleInput(uuid4())])
    type_adapter.cache_clear()
    for _ in range(3):
        PayloadConverter().from_payloads([payload], [LifecycleInput])
    assert (type_adapter.cache_info().misses, type_adapter.cache_info().hits) == (1, 2)
