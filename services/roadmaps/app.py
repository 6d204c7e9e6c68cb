"""Composition of the roadmaps service; its start-up also loads the reference data when its version is new."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from services.roadmaps import api
from services.roadmaps.handlers import CONSUMER
from services.roadmaps.models import RoadmapsTable
from services.roadmaps.reference_loader import load_reference_data
from sori.service import ServiceRuntime, ServiceSpec, create_service_app
from sori.settings import Settings


@asynccontextmanager
async def reference_data_loaded(runtime: ServiceRuntime) -> AsyncIterator[None]:
    await load_reference_data(runtime.db)
    yield


SPEC = ServiceSpec(
    name="roadmaps",
    title="SoRi roadmaps",
    description="Associations (LGAs) draft, revise, submit and assign the recommendations of their roadmaps.",
    metadata=RoadmapsTable.metadata,
    migrations=Path(__file__).parent / "migrations" / "versions",
    routers=[api.router],
    consumer=CONSUMER,
    companion=reference_data_loaded,
)


def create_app(settings: Settings | None = None, broker: KafkaBroker | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or Settings(), broker)
