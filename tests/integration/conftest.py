"""One real stack per database for the integration tests of a module."""

from collections.abc import Iterator

import pytest

from sori_cli.stack.child import RunningStack, running_stack
from tests.support.databases import DATABASES, POSTGRES_URL

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module", params=DATABASES)
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    database_url = POSTGRES_URL if request.param == "postgresql" else None
    # A module that sets STACK_WITH_DEMO gets `make run`'s stack, with the demo programme loaded (the README's tour).
    demo = () if getattr(request.module, "STACK_WITH_DEMO", False) else ("--no-demo",)
    with running_stack(tmp_path_factory.mktemp("stack"), database_url, *demo) as running:
        yield running
