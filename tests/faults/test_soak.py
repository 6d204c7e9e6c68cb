"""A short chaos soak: `sori soak` starts its own stack with two replicas of progress and of roadmaps, drives whole
journeys at a steady rate while parts (replicas included) are killed and paused at seeded random moments, sends
every event again, lets the stack settle and reconciles every invariant. The seed is printed; SORI_SOAK_SEED replays
a run. A build whose inboxes let redeliveries through is caught."""

import os
import random
import subprocess
import sys
from pathlib import Path

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


def test_a_seeded_chaos_soak_with_replicas_ends_with_every_invariant_holding() -> None:
    seed = int(os.environ.get("SORI_SOAK_SEED") or random.randrange(2**31))
    print(f"soak seed {seed} (replay: SORI_SOAK_SEED={seed})")

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
