"""A short chaos soak: `sori soak` starts its own stack with two replicas of progress and of roadmaps, drives whole
journeys at a steady rate while parts (replicas included) are killed and paused at seeded random moments, sends
every event again, lets the stack settle and reconciles every invariant. The seed is printed; SORI_SOAK_SEED replays
a run. A soak drives a stack `sori up` runs just as well, and leaves it running. Broken builds are caught: one whose
inboxes let redeliveries through, one that publishes an event before its transaction commits."""

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from sori_cli.soak.parts import parts, pid_of
from sori_cli.stack.child import running_stack
from sori_cli.stack.report import STACK_FILE
from tests.faults.parts import all_ready

DRIVING_MINUTES = 1.5
RATE = 3  # commands a second: one core's share of a shared machine
# A read side whose consumers share rows, and a producer whose relays share an outbox.
REPLICAS = ("progress=2", "roadmaps=2")
# Start (~30 s on a busy machine), 90 s of driving, then the settling and the reconciliation.
WITHIN_SECONDS = 900
# A build whose every inbox check is off (tests/support/inbox_off/sitecustomize.py, put on PYTHONPATH).
INBOX_OFF = Path(__file__).parents[1] / "support" / "inbox_off"
# Long enough for some journeys to reach their milestone reports, which a redelivery would count twice.
BROKEN_DRIVING_MINUTES = 0.5
# A build that publishes a command's event before its transaction commits, and then fails one commit in four
# (tests/support/outbox_early/sitecustomize.py): the event is out, the change it tells of is not.
OUTBOX_EARLY = Path(__file__).parents[1] / "support" / "outbox_early"
# Caught with 12 s of driving (22 commands): the first drafts and revisions are already half made.
EARLY_DRIVING_MINUTES = 0.2
HALF_MADE = (
    "the roadmaps service's status and version equal the workflow's",
    "every command whose answer was lost is wholly there or not at all",
)
# A soak on the stack `sori up` runs: long enough for a few faults after the warm-up.
RUNNING_MINUTES = 1.0


def soak(seed: int, *argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    own = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | (env or {})
    run = subprocess.run(
        [sys.executable, "-m", "sori_cli.main", "soak", "--rate", str(RATE), "--seed", str(seed), *argv],
        capture_output=True,
        text=True,
        timeout=WITHIN_SECONDS,
        env=own,
    )
    print(run.stdout[-6000:])
    return run


def new_seed() -> int:
    seed = int(os.environ.get("SORI_SOAK_SEED") or random.randrange(2**31))
    print(f"soak seed {seed} (replay: SORI_SOAK_SEED={seed})")
    return seed


def test_a_seeded_chaos_soak_with_replicas_ends_with_every_invariant_holding() -> None:
    seed = new_seed()

    replicas = [arg for replica in REPLICAS for arg in ("--replicas", replica)]
    run = soak(seed, "--minutes", str(DRIVING_MINUTES), "--chaos", *replicas)

    assert run.returncode == 0, f"seed {seed}:\n{run.stdout[-6000:]}\n{run.stderr[-3000:]}"
    assert ", 0 violations; seed" in run.stdout
    assert "services: progress x2, roadmaps x2" in run.stdout
    assert "faults injected: none" not in run.stdout, "the chaos injected no fault"


def test_a_build_whose_inbox_applies_a_redelivered_event_again_fails_the_soak() -> None:
    seed = random.randrange(2**31)

    run = soak(seed, "--minutes", str(BROKEN_DRIVING_MINUTES), env={"PYTHONPATH": str(INBOX_OFF)})

    assert run.returncode == 1, f"seed {seed}:\n{run.stdout[-6000:]}\n{run.stderr[-3000:]}"
    assert "✗ progress' tables equal a replay of the topics into empty ones" in run.stdout
    assert "reports live 2, replayed 1" in run.stdout, "no milestone report was counted twice"


def test_a_build_that_publishes_events_before_their_transaction_commits_fails_the_soak() -> None:
    seed = random.randrange(2**31)

    run = soak(seed, "--minutes", str(EARLY_DRIVING_MINUTES), env={"PYTHONPATH": str(OUTBOX_EARLY)})

    assert run.returncode == 1, f"seed {seed}:\n{run.stdout[-6000:]}\n{run.stderr[-3000:]}"
    # The lifecycle and progress hold drafts and revisions whose rows were rolled back.
    caught = {line.split(":")[0].removeprefix("  ✗ ") for line in run.stdout.splitlines() if line.startswith("  ✗ ")}
    assert caught & set(HALF_MADE), f"caught: {caught}"
    assert "      e.g. " in run.stdout
    assert f"violations; seed {seed}" in run.stdout


async def test_a_chaos_soak_drives_the_stack_sori_up_runs_and_leaves_it_running(tmp_path: Path) -> None:
    seed = new_seed()
    with running_stack(tmp_path / "home", None, "--no-demo") as stack:
        run = soak(seed, "--running", "--minutes", str(RUNNING_MINUTES), "--chaos", env={"SORI_HOME": str(stack.home)})

        assert run.returncode == 0, f"seed {seed}:\n{run.stdout[-6000:]}\n{run.stderr[-3000:]}"
        assert ", 0 violations; seed" in run.stdout
        assert f"the stack `sori up` runs on {stack.home}" in run.stdout
        assert "faults injected: none" not in run.stdout, "the chaos injected no fault"
        assert stack.process.poll() is None, "sori up stopped"
        await all_ready(stack)
        # stack.json names the processes the supervisor runs now, restarted ones included.
        named = json.loads((stack.home / STACK_FILE).read_text())["processes"]
        assert named == {part: pid_of(stack, part) for part in parts(stack)}
