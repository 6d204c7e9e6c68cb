"""A short chaos soak: `sori soak` starts its own stack, drives whole journeys at a steady rate while parts are
killed and paused at seeded random moments, lets the stack settle and reconciles every invariant. The seed is
printed; SORI_SOAK_SEED replays a run."""

import os
import random
import subprocess
import sys

DRIVING_MINUTES = 1.5
RATE = 3  # commands a second: one core's share of a shared machine
# Start (~30 s on a busy machine), 90 s of driving, then the settling and the reconciliation.
WITHIN_SECONDS = 900


def test_a_seeded_chaos_soak_ends_with_every_invariant_holding() -> None:
    seed = int(os.environ.get("SORI_SOAK_SEED") or random.randrange(2**31))
    print(f"soak seed {seed} (replay: SORI_SOAK_SEED={seed})")
    argv = ["--minutes", str(DRIVING_MINUTES), "--rate", str(RATE), "--chaos", "--seed", str(seed)]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    run = subprocess.run(
        [sys.executable, "-m", "sori_cli.main", "soak", *argv],
        capture_output=True,
        text=True,
        timeout=WITHIN_SECONDS,
        env=env,
    )
    print(run.stdout[-6000:])

    assert run.returncode == 0, f"seed {seed}:\n{run.stdout[-6000:]}\n{run.stderr[-3000:]}"
    assert ", 0 violations; seed" in run.stdout
    assert "faults injected: none" not in run.stdout, "the chaos injected no fault"
