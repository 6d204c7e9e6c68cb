"""The fault suite's stack: relays that can be held, review clocks that run in seconds, final lifecycles that close
in seconds, and two replicas of progress and of the working group."""

from contextlib import AbstractContextManager
from pathlib import Path

from sori.outbox import FAULT_HOLDS
from sori_cli.stack.child import RunningStack, running_stack

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
