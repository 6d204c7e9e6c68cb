"""Real stacks for the integration tests: one per database shared by the modules that only add recommendations of
their own (`shared_stack`), and one per database for each module that needs a stack to itself (`stack`): one that
counts everything on it, loses a database, or runs with the demo programme."""

from collections.abc import Iterator

import pytest

from sori_cli.stack.child import RunningStack, running_stack
from tests.support.databases import DATABASES, POSTGRES_URL

pytestmark = pytest.mark.integration


@pytest.fixture(scope="package", params=DATABASES)
def shared_stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    # Starting a stack is the tier's dearest step; the modules that share this one run after all the others (see
    # tests/conftest.py), so it is never up beside another.
    database_url = POSTGRES_URL if request.param == "postgresql" else None
    # Webhooks may reach receivers on 127.0.0.1 (the example receiver's test); a stack of its own sticks to the default.
    local_receivers = {"SORI_WEBHOOK_ALLOW_PRIVATE": "1"}
    home = tmp_path_factory.mktemp("shared-stack")
    with running_stack(home, database_url, "--no-demo", extra_env=local_receivers) as running:
        yield running


@pytest.fixture(scope="module", params=DATABASES)
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    database_url = POSTGRES_URL if request.param == "postgresql" else None
    # A module that sets STACK_WITH_DEMO gets `make run`'s stack, with the demo programme loaded (the README's tour).
    demo = () if getattr(request.module, "STACK_WITH_DEMO", False) else ("--no-demo",)
    with running_stack(tmp_path_factory.mktemp("stack"), database_url, *demo) as running:
        yield running
