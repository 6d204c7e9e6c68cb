"""Composition of the working-group service."""

from pathlib import Path

from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from services.working_group.api import router
from services.working_group.handlers import CONSUMER
from services.working_group.models import WorkingGroupTable
from sori.service import ServiceSpec, create_service_app
from sori.settings import Settings

SPEC = ServiceSpec(
    name="working_group",
    title="SoRi working group",
    description=(
        "The NALAS Working Group on Social Inclusion: members and meetings, the review queue, reviews, decisions "
        "and verification of recommendations, and the programme's capacity-building actions and participants."
    ),
    metadata=WorkingGroupTable.metadata,
    migrations=Path(__file__).parent / "migrations" / "versions",
    routers=[router],
    consumer=CONSUMER,
)


def create_app(settings: Settings | None = None, broker: KafkaBroker | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or Settings(), broker)
