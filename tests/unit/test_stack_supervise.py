"""`sori up` restarts a part that dies: later each time it dies again soon after its start, and at once again when
it had run steadily before it died (a long-lived stack's occasional deaths do not add up to the longest wait)."""

import time
from pathlib import Path

from sori_cli.stack.processes import ManagedProcess, ProcessSpec
from sori_cli.stack.supervise import RESTART_BACKOFF_MAX_SECONDS, STEADY_SECONDS, restart_delay


def test_a_part_that_keeps_dying_waits_longer_each_time_and_one_that_ran_steadily_comes_back_at_once(
    tmp_path: Path,
) -> None:
    worker = ManagedProcess(ProcessSpec("worker", ["true"], {}, tmp_path / "worker.log"))
    delays = []
    for _ in range(7):
        worker.started_at = time.monotonic()  # died as soon as it started
        delays.append(restart_delay(worker))
        worker.restarts += 1

    worker.started_at = time.monotonic() - STEADY_SECONDS  # ran a minute, then died
    after_a_steady_run = restart_delay(worker)

    assert delays == [1, 2, 4, 8, 16, RESTART_BACKOFF_MAX_SECONDS, RESTART_BACKOFF_MAX_SECONDS]
    assert after_a_steady_run == 1
