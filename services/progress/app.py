"""Composition of the progress service (read model; the portal's pages come here too)."""

from pathlib import Path

from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from services.progress.api import router
from services.progress.asyncapi import router as asyncapi_router
from services.progress.gauges import status_gauge
from services.progress.handlers import CONSUMER
from services.progress.models import ProgressTable
from services.progress.portal.not_found import install_not_found_page
from services.progress.portal.routes import router as portal_router
from services.progress.public.routes import router as public_data_router
from sori.service import ServiceSpec, create_service_app
from sori.settings import Settings

SPEC = ServiceSpec(
    name="progress",
    title="SoRi progress",
    description="Where every recommendation stands: projections of every topic, for dashboard, portal and exports.",
    metadata=ProgressTable.metadata,
    migrations=Path(__file__).parent / "migrations" / "versions",
    routers=[router, portal_router, asyncapi_router, public_data_router],
    consumer=CONSUMER,
    companion=status_gauge,
)


def create_app(settings: Settings | None = None, broker: KafkaBroker | None = None) -> FastAPI:
    app = create_service_app(SPEC, settings or Settings(), broker)
    install_not_found_page(app)
    return app
