"""Every number a request body or an event payload carries is finite. JSON has no NaN or Infinity: a non-finite
figure that an API let in would be written as null and dead-lettered by every consumer of its event."""

from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import TypeAdapter

from contracts.registry import PAYLOADS

pytestmark = pytest.mark.unit

SERVICES = ("roadmaps", "working_group", "social_approaches", "progress", "notifications")


def request_bodies() -> Iterator[tuple[str, Any]]:
    for service in SERVICES:
        for router in import_module(f"services.{service}.app").SPEC.routers:
            # Included routers are resolved lazily: their routes are reached through their contexts.
            for context in iter_route_contexts(router.routes):
                route = context.original_route
                if isinstance(route, APIRoute) and route.body_field is not None:
                    yield f"{service} {context.path_format}", route.body_field.field_info.annotation


def floats_that_allow_non_finite(schema: Any, where: str = "") -> Iterator[str]:
    """Where a pydantic core schema takes a float that may be NaN or infinite (its default)."""
    if isinstance(schema, dict):
        if schema.get("type") == "float" and schema.get("allow_inf_nan", True):
            yield where
        for key, value in schema.items():
            yield from floats_that_allow_non_finite(value, f"{where}.{key}" if isinstance(value, dict) else where)
    elif isinstance(schema, list):
        for item in schema:
            yield from floats_that_allow_non_finite(item, where)


def test_every_request_body_takes_only_finite_numbers() -> None:
    bodies = dict(request_bodies())
    open_floats = {
        name: sorted(set(floats_that_allow_non_finite(TypeAdapter(body).core_schema))) for name, body in bodies.items()
    }

    assert (
        "social_approaches /social-approaches/v1/recommendations/{recommendation_id}/milestones/{milestone_id}/reports"
        in bodies
    )
    assert {name: where for name, where in open_floats.items() if where} == {}


@pytest.mark.parametrize("event_type", sorted(PAYLOADS))
def test_every_event_payload_carries_only_finite_numbers(event_type: str) -> None:
    schema = PAYLOADS[event_type].__pydantic_core_schema__

    assert list(floats_that_allow_non_finite(schema)) == []
