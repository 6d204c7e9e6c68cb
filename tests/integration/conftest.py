"""One real stack per database for the integration tests of a module."""

import asyncio
from collections.abc import Iterator

import pytest

from sori.stack.child import RunningStack, drop_stack_schemas, start_stack, stop_stack
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
            asyncio.run(drop_stack_schemas(database_url, running.schema_prefix))
