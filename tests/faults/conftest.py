"""One real stack for the whole fault suite: each scenario works on recommendations of its own, injects its fault,
and waits until every part is ready again before it counts."""

from collections.abc import Iterator

import pytest

from sori_cli.stack.child import RunningStack
from tests.faults.parts import all_ready
from tests.faults.stacks import fault_stack


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    with fault_stack(tmp_path_factory.mktemp("faults"), None) as running:
        yield running


@pytest.fixture
async def ready_stack(stack: RunningStack) -> RunningStack:
    """The stack once a fault an earlier scenario injected has healed (the supervisor restarts what died)."""
    await all_ready(stack)
    return stack
