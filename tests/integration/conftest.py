"""One real stack per database for the integration tests of a module."""

import asyncio
from collections.abc import Iterator

import pytest

from sori.db import Database
from sori.migrate import all_specs
from sori.settings import Settings
from sori.stack.child import RunningStack, start_stack, stop_stack
from tests.conftest import DATABASES, POSTGRES_URL

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module", params=DATABASES)
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    database_url = POSTGRES_URL if request.param == "postgresql" else None
    running = start_stack(tmp_path_factory.mktemp("stack"), database_url, "--no-demo")
    try:
        yield running
    finally:
        stop_stack(running)
        if database_url:
            asyncio.run(_drop_schemas(database_url, running.schema_prefix))


async def _drop_schemas(database_url: str, prefix: str) -> None:
    settings = Settings(DATABASE_URL=database_url, SORI_SCHEMA_PREFIX=prefix)
    for spec in all_specs():
        db = Database(settings, spec.name, spec.metadata)
        await db.drop_schema()
        await db.dispose()
