"""`sori soak`: a stack of its own (or the one `sori up` runs), a steady workload of whole journeys, chaos if asked,
then the stack is let settle and every invariant is reconciled. The exit code is 1 when any is violated."""

import asyncio
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sori_cli.soak.cast import cast_of
from sori_cli.soak.chaos import Chaos
from sori_cli.soak.drive import Drivers
from sori_cli.soak.footprint import Footprint, compared, footprint
from sori_cli.soak.journal import Journal
from sori_cli.soak.observe import observe, stack_settings
from sori_cli.soak.parts import not_ready
from sori_cli.soak.reconcile import Check, in_flight, reconcile
from sori_cli.soak.report import render
from sori_cli.soak.seen import Seen
from sori_cli.soak.speaker import Pace, waited
from sori_cli.stack.child import running_stack
from sori_cli.stack.refill import republish_all
from sori_cli.stack.up import role_of
from sori_cli.stack.view import NoStack, StackView, read_stack

WARM_UP_SHARE = 0.2  # of the run, before the footprint is taken and chaos begins
SETTLE_WITHIN_SECONDS = 180.0
RECHECK_SECONDS = 5.0
# Violations unchanged this long with no event in flight (no outbox row unpublished, no consumer lag) are final: no
# waiting mends an effect applied twice. Long enough for Temporal and the worker to get through what they were given.
FINAL_AFTER_SECONDS = 30.0
CHAOS_EVERY_SECONDS = 10.0
DRIVERS_PER_COMMAND_PER_SECOND = 3
# The broker, Temporal and the pipeline keep the services' priority: a fault's recovery is part of what is measured,
# and on a busy machine a background part at the lowest priority took minutes to come back.
SAME_PRIORITY = {"SORI_BACKGROUND_NICE": "0"}


async def _settled(stack: StackView, run: "Soak") -> list[Check]:
    """The checks once the stack has caught up: ready, then reconciled again while a violation remains, until the
    time is up (what the stack still owes by then is a violation) or until the same violations have been found with
    nothing in flight for FINAL_AFTER_SECONDS."""
    driven = time.monotonic()
    await waited(lambda: _all_ready(stack), SETTLE_WITHIN_SECONDS)
    deadline = time.monotonic() + SETTLE_WITHIN_SECONDS
    before: list[list[str]] = []
    still_since = time.monotonic()
    while True:
        seen = Seen(faults=sum(run.chaos.injected.values()) if run.chaos else 0)
        seen.unhealed = list(run.chaos.unhealed) if run.chaos else []
        end = footprint(stack)
        seen.processes = (run.warm.processes, end.processes)
        seen.memory = compared(run.warm, end)
        await observe(stack, run.cast, run.journal, seen)
        checks = reconcile(run.journal, seen)
        found = [sorted(c.violations) for c in checks]  # the same violations, in whatever order they were found
        if found != before or in_flight(seen):
            before, still_since = found, time.monotonic()
        final = time.monotonic() - still_since >= FINAL_AFTER_SECONDS
        if not any(found) or final or time.monotonic() > deadline:
            print(f"  ✓ reconciled {time.monotonic() - driven:.0f}s after driving", flush=True)
            return checks
        await asyncio.sleep(RECHECK_SECONDS)


async def _all_ready(stack: StackView) -> bool | None:
    return True if not await not_ready(stack) else None


class Soak:
    def __init__(self, stack: StackView, minutes: float, rate: float, chaos: bool, seed: int) -> None:
        self.started = time.monotonic()
        self.until = self.started + minutes * 60
        self.journal = Journal()
        self.cast = cast_of(stack, self.journal, Pace(rate), self.until)
        self.drivers = Drivers(self.cast, seed, max(4, round(rate * DRIVERS_PER_COMMAND_PER_SECOND)))
        self.chaos = Chaos(stack, random.Random(f"{seed}-chaos"), CHAOS_EVERY_SECONDS) if chaos else None
        self.warm = Footprint(0, {})
        self.stack = stack
        self.redelivered = 0  # events every relay sent again once driving was done

    async def run(self) -> list[Check]:
        driving = asyncio.create_task(self.drivers.run())
        try:
            await asyncio.sleep((self.until - self.started) * WARM_UP_SHARE)
            self.warm = footprint(self.stack)
            if self.chaos:
                await self.chaos.run(self.until)
            await driving
        finally:
            driving.cancel()
        # As after a broker restart or a restore: every event is delivered once more, and must change nothing.
        self.redelivered = await republish_all(stack_settings(self.stack))
        print(
            f"▸ driving done after {time.monotonic() - self.started:.0f}s; every event sent again "
            f"({self.redelivered}); letting the stack settle …",
            flush=True,
        )
        try:
            return await _settled(self.stack, self)
        finally:
            await self.cast.close()


def replicas_argv(replicas: dict[str, int]) -> list[str]:
    """`sori up`'s options for these replicas."""
    return [arg for service, count in sorted(replicas.items()) for arg in ("--replicas", f"{service}={count}")]


def _scale(replicas: dict[str, int]) -> str:
    return ", ".join(f"{service} x{count}" for service, count in sorted(replicas.items()) if count > 1)


def _soaked(stack: StackView, minutes: float, rate: float, chaos: bool, seed: int) -> tuple[Soak, list[Check]]:
    soak = Soak(stack, minutes, rate, chaos, seed)
    return soak, asyncio.run(soak.run())


def run_soak(
    minutes: float,
    rate: float,
    chaos: bool,
    seed: int | None,
    database_url: str | None,
    replicas: dict[str, int],
    running_on: Path | None = None,
) -> int:
    """Soak a stack of its own, or with `running_on` the one `sori up` runs on that SORI_HOME."""
    seed = seed if seed is not None else random.randrange(2**31)
    run = f"▸ soak: seed {seed}, {minutes:g} min at {rate:g} commands/s, chaos {'on' if chaos else 'off'}"
    if running_on is not None:
        try:
            stack = read_stack(running_on, database_url)
        except NoStack as none:
            print(f"sori soak: {none}", file=sys.stderr)
            return 2
        running = Counter(role_of(part) for part in stack.document["services"])
        print(f"{run}, the stack `sori up` runs on {running_on}, services: {_scale(running) or 'one process each'}")
        soak, checks = _soaked(stack, minutes, rate, chaos, seed)
    else:
        print(f"{run}, a stack of its own, services: {_scale(replicas) or 'one process each'}", flush=True)
        with (
            tempfile.TemporaryDirectory(prefix="sori-soak-") as home,
            running_stack(
                Path(home), database_url, "--no-demo", *replicas_argv(replicas), extra_env=SAME_PRIORITY
            ) as started,
        ):
            print(f"  ✓ stack ready ({started.ready_seconds:.0f}s)", flush=True)
            soak, checks = _soaked(started, minutes, rate, chaos, seed)
    print(render(soak.journal, soak.chaos, checks, seed, soak.redelivered), flush=True)
    return 1 if any(c.violations for c in checks) else 0
