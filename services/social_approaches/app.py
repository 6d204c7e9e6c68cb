"""Composition of the social-approaches service."""

from pathlib import Path

from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from services.social_approaches.api import router
from services.social_approaches.handlers import CONSUMER
from services.social_approaches.models import SocialApproachesTable
from sori.service import ServiceSpec, create_service_app
from sori.settings import Settings

SPEC = ServiceSpec(
    name="social_approaches",
    title="SoRi social approaches",
    description="Local governments map needs, run social approaches and report milestones with evidence.",
    metadata=SocialApproachesTable.metadata,
    migrations=Path(__file__).parent / "migrations" / "versions",
    routers=[router],
    consumer=CONSUMER,
)


def create_app(settings: Settings | None = None, broker: KafkaBroker | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or Settings(), broker)
