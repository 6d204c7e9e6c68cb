"""`sori up`'s supervision: a part that dies is restarted, with backoff, until `sori up` is asked to stop; after a
restart stack.json names the new process."""

import asyncio
import contextlib
import time

from sori_cli.stack.processes import ManagedProcess
from sori_cli.stack.readiness import StartFailed
from sori_cli.stack.refill import consuming_parts, refill_broker
from sori_cli.stack.report import processes, write_stack_file
from sori_cli.stack.up import Stack, role_of, say

RESTART_BACKOFF_MAX_SECONDS = 30.0
# A part that ran this long before it died is restarted as after a first death: the backoff is for a part that cannot
# stay up, not for a long-lived stack's occasional deaths (a soak kills parts for an hour; each waited 30 s after its
# fifth death).
STEADY_SECONDS = 60.0


async def supervise(stack: Stack) -> None:
    """Restart a part that dies, with backoff, until asked to stop."""
    while not stack.stopping.is_set():
        for process in stack.processes:
            code = process.exit_code()
            if code is None:
                continue
            delay = restart_delay(process)
            log = process.spec.log_path
            say(f"✗ {process.spec.name} exited with code {code}; restarting in {delay:.0f}s (log: {log})")
            process.restarts += 1
            await _sleep_unless_stopping(stack, delay)
            if stack.stopping.is_set():
                break
            if process.spec.name == "kafka":
                await _restart_broker(stack, process)
            else:
                process.start()
            _processes_changed(stack)
        await _sleep_unless_stopping(stack, 0.5)


def restart_delay(process: ManagedProcess) -> float:
    """How long to wait before starting a part that died: twice as long after each death in a row, up to a cap."""
    if time.monotonic() - process.started_at >= STEADY_SECONDS:
        process.restarts = 0
    return min(2.0**process.restarts, RESTART_BACKOFF_MAX_SECONDS)


def _processes_changed(stack: Stack) -> None:
    """stack.json names each part's process now, for programs that signal parts (`sori soak --running`)."""
    if stack.document:
        stack.document["processes"] = processes(stack)
        write_stack_file(stack.settings.home, stack.document)


async def _restart_broker(stack: Stack, broker: ManagedProcess) -> None:
    """Restart the (empty) broker, refill it, and have the consumers read it again from the start.

    The consumers die first, at once: left running, they would reconnect to the new broker and commit their old
    positions there (it answers a fetch beyond its end with nothing rather than an error), and resume past the
    refilled events. Killed outright they commit nothing, so they start over; their inbox skips what they applied.
    """
    consumers = [p for p in stack.processes if role_of(p.spec.name) in consuming_parts()]
    await asyncio.gather(*(asyncio.to_thread(p.stop, 0.0) for p in consumers))
    broker.start()
    try:
        queued = await refill_broker(stack.settings, broker)
        say(f"  ✓ kafka is back with SoRi's topics; {queued} events sent again, {len(consumers)} consumers restarted")
    except StartFailed as failed:
        say(f"✗ {failed}; restarting it")
        await asyncio.to_thread(broker.stop)  # the next round of supervision starts it again
    for process in consumers:
        process.start()


async def _sleep_unless_stopping(stack: Stack, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stack.stopping.wait(), timeout=seconds)
