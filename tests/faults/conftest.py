"""One real stack for the whole fault suite: each scenario works on recommendations of its own, injects its fault,
and waits until every part is ready again before it counts."""

from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from sori.outbox import FAULT_HOLDS
from sori_cli.stack.child import RunningStack, running_stack
from tests.faults.parts import all_ready

REVIEW_DUE_SECONDS = 20.0  # long enough to kill Temporal before the clocks are due
FINAL_GRACE_SECONDS = 5.0  # a final lifecycle closes this long after its last move
# Every fault meets two replicas of progress (whose consumers share rows) and of a producer (whose relays share
# an outbox), as at scale; a scenario kills the replica at the service's own port ("progress"), the other runs on.
REPLICAS = ("progress=2", "working_group=2")


def fault_stack(home: Path, database_url: str | None) -> AbstractContextManager[RunningStack]:
    """A stack whose relays can be held (see FAULT_HOLDS), whose review clocks run in seconds and whose final
    lifecycles close in seconds."""
    (home / "holds").mkdir()
    shortened = {
        FAULT_HOLDS: str(home / "holds"),
        "SORI_REVIEW_DUE_DAYS": str(REVIEW_DUE_SECONDS / 86_400),
        "SORI_FINAL_GRACE_DAYS": str(FINAL_GRACE_SECONDS / 86_400),
    }
    replicas = [arg for replica in REPLICAS for arg in ("--replicas", replica)]
    return running_stack(home, database_url, "--no-demo", *replicas, extra_env=shortened)


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    with fault_stack(tmp_path_factory.mktemp("faults"), None) as running:
        yield running


@pytest.fixture
async def ready_stack(stack: RunningStack) -> RunningStack:
    """The stack once a fault an earlier scenario injected has healed (the supervisor restarts what died)."""
    await all_ready(stack)
    return stack
