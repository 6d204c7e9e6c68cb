"""The broker dies while associations go on writing: every write still succeeds (the outbox keeps its event), and
once the supervisor has restarted the broker — empty, as Tansu's memory engine keeps nothing — the relays refill
the topics and the consumers read them again from the start, so that every event is there again and every consumer
applies it exactly once.

A relay that retries a batch the broker half took may put a record twice (delivery is at least once); the figure
is printed, and what counts is that each event is there and each consumer's inbox holds it once."""

import signal
from collections import Counter
from collections.abc import Iterator

import pytest

from contracts.topics import ROADMAPS
from sori_cli.stack.child import RunningStack
from tests.faults.parts import all_ready, kill, restarted
from tests.faults.stacks import fault_stack
from tests.faults.story import (
    all_in,
    draft_and_submit,
    drafted_and_submitted,
    emissions,
    inbox_rows,
    refusals,
    unpublished,
)
from tests.faults.topics import repeats
from tests.polling import eventually
from tests.support.databases import DATABASES, POSTGRES_URL

BEFORE, DURING = 3, 5


@pytest.fixture
def postgres_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    with fault_stack(tmp_path_factory.mktemp("faults-postgresql"), POSTGRES_URL) as running:
        yield running


# PostgreSQL's turn first (this module is the suite's first): its stack is stopped after its one test, before the
# suite's SQLite stack starts, so two fault stacks never run side by side.
@pytest.fixture(params=DATABASES[::-1])
async def outage_stack(request: pytest.FixtureRequest) -> RunningStack:
    """The suite's SQLite stack, or one on PostgreSQL of this module's own (the refill rewrites every outbox)."""
    stack: RunningStack = request.getfixturevalue("stack" if request.param == "sqlite" else "postgres_stack")
    await all_ready(stack)
    return stack


async def test_writes_go_on_while_the_broker_is_down_and_every_event_arrives_once_after(
    outage_stack: RunningStack,
) -> None:
    stack = outage_stack
    before = await draft_and_submit(stack, BEFORE, "Before the broker outage")
    await all_in(stack, before, "submitted")

    # The broker first hangs (so that it is surely out while the writes go on), then dies.
    kill(stack, "kafka", signal.SIGSTOP)
    during = await draft_and_submit(stack, DURING, "During the broker outage")  # each call answered 2xx
    held = await unpublished(stack, "roadmaps", during)
    killed = kill(stack, "kafka")
    await restarted(stack, "kafka", killed)

    recommendations = before + during
    await all_in(stack, recommendations, "submitted", within=120)
    domain, changes = await drafted_and_submitted(stack, recommendations)
    lifecycle_ids = {e.id for e in changes}
    refused = await refusals(stack, recommendations)
    applied = await eventually(
        lambda: applied_by(stack, lifecycle_ids), until=lambda rows: set(rows.values()) == {len(lifecycle_ids)}
    )
    figures = (
        f"{len(recommendations)} recommendations ({DURING} written during the outage, {held} events held); "
        f"{ROADMAPS}: {len(domain)} records, {repeats(domain)} repeats; lifecycle: {len(changes)} status_changed, "
        f"{repeats(changes)} repeats, {refused} refused transitions; inbox rows {applied}"
    )
    print(figures)

    assert held == 2 * DURING, figures
    assert refused == 0, figures
    assert emissions(changes) == Counter({(r, s): 1 for r in recommendations for s in ("drafted", "submitted")})
    assert applied == {"progress": len(lifecycle_ids), "roadmaps": len(lifecycle_ids)}, figures


async def applied_by(stack: RunningStack, event_ids: set[str]) -> dict[str, int]:
    """Inbox rows for these lifecycle events in the services that apply them (they may still be reading them)."""
    return {service: await inbox_rows(stack, service, event_ids) for service in ("progress", "roadmaps")}
