"""`sori up` starts everything, says clearly when a part cannot start, and leaves nothing behind when stopped."""

import asyncio
import json
import os
import socket
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from sori.settings import Settings
from sori_cli.stack.child import READY_WITHIN_SECONDS, free_port_base, process_alive, start_stack, stop_stack
from sori_cli.stack.embedded import TemporalPorts, free_port, temporal_binary
from sori_cli.stack.up import Stack, start_temporal
from tests.polling import eventually

pytestmark = pytest.mark.integration


BACKGROUND = {"kafka", "temporal", "bridge", "worker"}
SERVICES = {"progress", "roadmaps", "working_group", "social_approaches", "notifications"}
FUTURE = "f0f0f0f0f0f0"  # a revision of a newer SoRi


def autogroup_nice(pid: int) -> int | None:
    """A process's session priority (Linux autogroup), or None without autogroup support.

    The file is empty for a process in the root autogroup (e.g. one whose session init started), whose nice is 0
    and cannot be changed.
    """
    autogroup = Path(f"/proc/{pid}/autogroup")
    if not autogroup.exists():
        return None
    fields = autogroup.read_text().split()
    return int(fields[-1]) if fields else 0


def priority_below_sori_up(pid: int, sori_up: int) -> dict[str, int]:
    """How much lower a process's nice value is than `sori up`'s, and its session's (Linux autogroup), if any."""
    lower = {"nice": os.getpriority(os.PRIO_PROCESS, pid) - os.getpriority(os.PRIO_PROCESS, sori_up)}
    child, parent = autogroup_nice(pid), autogroup_nice(sori_up)
    if child is not None and parent is not None:
        lower["autogroup"] = child - parent
    return lower


def test_sori_up_runs_its_background_parts_at_lower_priority_and_sigterm_stops_every_process(tmp_path: Path) -> None:
    stack = start_stack(tmp_path / "home", None, "--no-demo", extra_env={"SORI_BACKGROUND_NICE": "7"})
    pids = stack.pids
    try:
        assert set(pids) == BACKGROUND | SERVICES
        assert all(process_alive(pid) for pid in pids.values())
        lowered = {name: priority_below_sori_up(pid, stack.process.pid) for name, pid in pids.items()}
        assert {name: set(lowered[name].values()) for name in BACKGROUND} == {name: {7} for name in BACKGROUND}
        assert {name: set(lowered[name].values()) for name in SERVICES} == {name: {0} for name in SERVICES}
        migrated = (stack.home / "logs" / "roadmaps.log").read_text()
        assert '"event": "migrated"' in migrated  # its database at the head before it served
    finally:
        # Stopped whatever the checks above said, so that a failing run leaves no stack behind.
        exit_code = stop_stack(stack)

    assert exit_code == 0
    survivors = {name: pid for name, pid in pids.items() if process_alive(pid)}
    assert survivors == {}
    assert not (stack.home / "stack.json").exists()


def test_a_busy_service_port_is_reported_with_a_non_zero_exit(tmp_path: Path) -> None:
    base = free_port_base()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", base + 1))
        squatter.listen()
        result = subprocess.run(
            [sys.executable, "-m", "sori_cli.main", "up", "--no-ui", "--no-demo"],
            env={"SORI_HOME": str(tmp_path), "SORI_PORT_BASE": str(base), "PATH": ""},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"ports in use: roadmaps ({base + 1})" in result.stdout


def test_sori_up_stops_when_a_service_refuses_a_database_from_a_newer_sori_naming_both_revisions(
    tmp_path: Path,
) -> None:
    from services.roadmaps.app import SPEC as ROADMAPS
    from sori.migrations import revision_ids
    from sori_cli.migrate import migrate_all

    asyncio.run(migrate_all(Settings(SORI_HOME=tmp_path, DATABASE_URL=None)))
    with sqlite3.connect(tmp_path / "roadmaps.db") as roadmaps:
        roadmaps.execute("UPDATE alembic_version SET version_num = ?", (FUTURE,))
    assert ROADMAPS.migrations
    head = revision_ids(ROADMAPS.migrations)[-1]

    result = subprocess.run(
        [sys.executable, "-m", "sori_cli.main", "up", "--no-ui", "--no-demo"],
        env={"SORI_HOME": str(tmp_path), "SORI_PORT_BASE": str(free_port_base()), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=READY_WITHIN_SECONDS + 60,
    )

    assert result.returncode == 1
    assert "roadmaps exited" in result.stdout
    refusal = f"roadmaps: the database is at revision {FUTURE}, which this code does not know (its newest is {head})"
    assert refusal in (tmp_path / "logs" / "roadmaps.log").read_text()


async def test_a_temporal_server_that_cannot_bind_its_ports_is_started_again_on_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    busy = taken.getsockname()[1]
    picks = iter([TemporalPorts(busy, free_port(), free_port(), free_port())])
    real_pick = TemporalPorts.pick
    monkeypatch.setattr(TemporalPorts, "pick", classmethod(lambda cls: next(picks, None) or real_pick()))
    stack = Stack(Settings(SORI_HOME=tmp_path), ui=False)
    try:
        with taken:
            await start_temporal(stack)
        [running] = stack.processes
        assert running.exit_code() is None
        assert stack.settings.temporal_address != f"127.0.0.1:{busy}"
        assert "trying other ports" in capsys.readouterr().out
    finally:
        await stack.stop_all()


SCANNERS = {"temporal-sys-tq-scanner", "temporal-sys-history-scanner"}
PARENT_CLOSE_POLICY = TaskQueue(name="temporal-sys-processor-parent-close-policy")


@dataclass(frozen=True)
class Maintenance:
    scanners: set[str]
    parent_close_pollers: int

    @classmethod
    async def of(cls, system: Client) -> "Maintenance":
        """What a server runs for its own upkeep, seen through its `temporal-system` namespace."""
        queue = await system.workflow_service.describe_task_queue(
            DescribeTaskQueueRequest(
                namespace="temporal-system",
                task_queue=PARENT_CLOSE_POLICY,
                task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
            )
        )
        scanners = {execution.id async for execution in system.list_workflows()} & SCANNERS
        return cls(scanners, len(queue.pollers))


async def test_the_embedded_temporal_runs_none_of_the_maintenance_a_default_dev_server_starts(tmp_path: Path) -> None:
    stack = Stack(Settings(SORI_HOME=tmp_path), ui=False)
    try:
        await start_temporal(stack)
        assert stack.settings.temporal_address
        ours = await Client.connect(stack.settings.temporal_address, namespace="temporal-system")
        # A dev server with the defaults, started after ours: once its maintenance runs, ours has had as long to start
        # its own, had it been left on.
        async with await WorkflowEnvironment.start_local(dev_server_existing_path=str(temporal_binary())) as default:
            theirs = await Client.connect(default.client.service_client.config.target_host, namespace="temporal-system")
            await eventually(
                lambda: Maintenance.of(theirs), until=lambda m: m.scanners == SCANNERS and m.parent_close_pollers > 0
            )
        assert await Maintenance.of(ours) == Maintenance(scanners=set(), parent_close_pollers=0)
    finally:
        await stack.stop_all()


def test_a_stack_started_on_the_previous_revisions_database_migrates_it_and_answers_with_its_data(
    tmp_path: Path,
) -> None:
    """What an upgrade does to an embedded stack: `SORI_HOME` as the version before left it (progress at its first
    revision, a recommendation in it), then `sori up` of this version: the row answers, and the new table is filled."""
    from contracts.envelope import Role
    from services.progress.app import SPEC as PROGRESS
    from sori.db import Database
    from sori.migrations import revision_ids, upgrade_to
    from tests.support.journey import person
    from tests.support.upgrades import RECOMMENDATION_PROGRESS, in_its_schema, submitted_by

    revisions = PROGRESS.migrations
    assert revisions
    first, *_, head = revision_ids(revisions)
    kept = submitted_by("AKM", economy="XK")

    async def as_the_version_before_left_it() -> None:
        db = Database(Settings(SORI_HOME=tmp_path, DATABASE_URL=None), PROGRESS.name, PROGRESS.metadata)
        try:
            await upgrade_to(db, revisions, first)
            async with db.transaction() as session:
                await in_its_schema(session, db)
                await session.execute(RECOMMENDATION_PROGRESS.insert(), [kept])
        finally:
            await db.dispose()

    async def read(path: str) -> object:
        observer = person(stack, "progress", Role.OBSERVER, "OBSERVER")
        async with observer.http:
            return await observer.call("GET", path)

    asyncio.run(as_the_version_before_left_it())
    stack = start_stack(tmp_path, None, "--no-demo")
    try:
        answer = asyncio.run(read(f"/progress/v1/recommendations/{kept['recommendation_id']}"))
    finally:
        stop_stack(stack)

    assert isinstance(answer, dict)
    assert (answer["status"], answer["association"], answer["economy"]) == ("submitted", "AKM", "XK")
    lines = (tmp_path / "logs" / "progress.log").read_text().splitlines()
    logged = [json.loads(line) for line in lines if line.startswith("{")]
    migrations = [line.get("migration") for line in logged if line.get("event") == "migrated"]
    assert f"progress: {first} → {head}" in migrations
