"""Composition of the roadmaps service."""

from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from services.roadmaps.api import router
from services.roadmaps.handlers import CONSUMER
from services.roadmaps.models import RoadmapsTable
from sori.service import ServiceSpec, create_service_app
from sori.settings import Settings

SPEC = ServiceSpec(
    name="roadmaps",
    title="SoRi roadmaps",
    description="Associations (LGAs) draft, revise, submit and assign the recommendations of their roadmaps.",
    metadata=RoadmapsTable.metadata,
    routers=[router],
    consumer=CONSUMER,
)


def create_app(settings: Settings | None = None, broker: KafkaBroker | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or Settings(), broker)
