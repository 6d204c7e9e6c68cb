"""`sori replay` on a real stack: progress' database is lost, rebuilt from the topics, and ends row for row the same;
the live consumer then goes on from where the replay stopped; a backlog of whole stories on every topic replays with
each event applied once (the replay's rate is a figure of `sori bench`)."""

import asyncio
import csv
import io
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from select import select as wait_readable
from typing import Any
from uuid import uuid4

import httpx
import openpyxl
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from sqlalchemy import select

from contracts.envelope import Role
from services.progress.handlers import CONSUMER
from services.progress.models import ProgressTable, projection_tables
from services.roadmaps.reference_loader import TABLES, reference_document
from sori.db import Database
from sori.settings import Settings
from sori_cli.stack.child import (
    ENV_OF_REAL_INFRASTRUCTURE,
    RunningStack,
    running_stack,
)
from sori_cli.stack.demo import load_demo
from tests.polling import eventually
from tests.support.databases import DATABASES, POSTGRES_URL
from tests.support.journey import INDICATOR, Person, person, planned_for, report_done, zels_roadmap
from tests.support.progress import story

pytestmark = pytest.mark.integration
# Recommendations whose whole stories (twenty events each) are put on the topics at once.
BACKLOG = 100
Snapshot = dict[str, list[tuple[Any, ...]]]


def database_url(request: pytest.FixtureRequest) -> str | None:
    return POSTGRES_URL if request.node.callspec.params["stack"] == "postgresql" else None


def settings_of(stack: RunningStack, db_url: str | None) -> Settings:
    return Settings(
        SORI_HOME=str(stack.home),
        DATABASE_URL=db_url,
        SORI_SCHEMA_PREFIX=stack.schema_prefix,
        KAFKA_BOOTSTRAP_SERVERS=stack.document["kafka_bootstrap_servers"],
    )


@asynccontextmanager
async def progress_db(settings: Settings) -> AsyncIterator[Database]:
    db = Database(settings, "progress", ProgressTable.metadata)
    try:
        yield db
    finally:
        await db.dispose()


async def snapshot(settings: Settings) -> Snapshot:
    """Every projection table's rows, in key order (the inbox without its processing time)."""
    taken: Snapshot = {}
    async with progress_db(settings) as db, db.reading() as session:
        for table in projection_tables():
            columns = [c for c in table.columns if c.name != "processed_at"]
            rows = await session.execute(select(*columns).order_by(*table.primary_key.columns))
            taken[table.name] = [tuple(row) for row in rows.all()]
    return taken


async def caught_up(settings: Settings) -> None:
    """Until progress' consumer group has committed the end of every partition (read to the end to know it)."""
    reader = AIOKafkaConsumer(bootstrap_servers=settings.kafka_servers, auto_offset_reset="earliest")
    checker = AIOKafkaConsumer(bootstrap_servers=settings.kafka_servers, group_id=CONSUMER.group)
    await reader.start()
    await checker.start()
    try:
        partitions = [TopicPartition(t, p) for t in CONSUMER.topics for p in reader.partitions_for_topic(t) or ()]
        reader.assign(partitions)
        while await reader.getmany(timeout_ms=500):
            pass
        ends = {tp: await reader.position(tp) for tp in partitions}

        async def behind() -> int:
            committed = {tp: await checker.committed(tp) or 0 for tp in ends}
            return sum(end - committed[tp] for tp, end in ends.items())

        await eventually(behind, until=lambda lag: lag <= 0, within=90)
    finally:
        await checker.stop()
        await reader.stop()


def run_replay(stack: RunningStack, db_url: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV_OF_REAL_INFRASTRUCTURE}
    env.update(
        SORI_HOME=str(stack.home),
        SORI_SCHEMA_PREFIX=stack.schema_prefix,
        **({"DATABASE_URL": db_url} if db_url else {}),
    )
    done = subprocess.run(
        [sys.executable, "-m", "sori_cli.main", "replay"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    print(done.stdout, done.stderr)
    return done


def serving(stack: RunningStack, role: str) -> int:
    """The pid of the process `sori up` runs for `role` now (stack.json has the first one; it may have restarted)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError):
            fields = stat.read_text().rsplit(") ", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
            if int(fields[1]) == stack.process.pid and f"serve {role}".encode() in b" ".join(command):
                return int(stat.parent.name)
    raise AssertionError(f"sori up runs no {role}")


@contextmanager
def progress_stopped(stack: RunningStack) -> Iterator[None]:
    """Progress stopped, and `sori up`'s supervision paused so that it does not start it again until the end."""
    stack.process.send_signal(signal.SIGSTOP)
    try:
        progress = serving(stack, "progress")
        # A pidfd turns readable when the process ends, so this waits for the exit itself (30 s at most).
        stopped = os.pidfd_open(progress)
        try:
            os.kill(progress, signal.SIGTERM)
            wait_readable([stopped], [], [], 30)
        finally:
            os.close(stopped)
        yield
    finally:
        stack.process.send_signal(signal.SIGCONT)


@contextmanager
def paused(stack: RunningStack, *roles: str) -> Iterator[None]:
    """These parts frozen, so that they neither react to the synthetic events nor share the CPU with the replay."""
    pids = [serving(stack, role) for role in roles]
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


async def lose_progress_database(settings: Settings) -> None:
    if settings.database_url:
        async with progress_db(settings) as db:
            await db.drop_schema()
        return
    for suffix in ("", "-wal", "-shm"):
        (settings.home / f"progress.db{suffix}").unlink(missing_ok=True)


async def journey(stack: RunningStack) -> str:
    """Drafted, submitted, endorsed, assigned to two LGs; one reports done with evidence; an action is held."""
    lga = person(stack, "roadmaps", Role.LGA, "ZELS")
    wg = person(stack, "working_group", Role.NALAS, "NALAS")
    kumanovo = person(stack, "social_approaches", Role.LG, "MK-KUMANOVO")
    rec = (
        await lga.call(
            "POST", f"/roadmaps/v1/roadmaps/{await zels_roadmap(lga)}/recommendations", json={"title": "Replayed"}
        )
    )["id"]
    await lga.call("POST", f"/roadmaps/v1/recommendations/{rec}/submit")
    wg_rec = f"/working-group/v1/recommendations/{rec}"
    await wg.until(wg_rec, "status", "submitted")
    await wg.call("POST", f"{wg_rec}/review", json={})
    await wg.call("POST", f"{wg_rec}/decision", json={"decision": "endorse"})
    await lga.until(f"/roadmaps/v1/recommendations/{rec}", "status", "endorsed")
    due = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    plan = [
        {"title": f"Opens in {lg}", "due_date": due, "local_government": lg, "indicators": [INDICATOR]}
        for lg in ("MK-KUMANOVO", "MK-STRUMICA")
    ]
    await lga.call(
        "POST",
        f"/roadmaps/v1/recommendations/{rec}/assignment",
        json={"local_governments": ["MK-KUMANOVO", "MK-STRUMICA"], "milestones": plan},
    )
    [milestone] = await planned_for(kumanovo, rec)
    await report_done(kumanovo, rec, milestone)
    actions = await wg.call("GET", "/working-group/v1/actions")
    first = (actions["items"] if isinstance(actions, dict) else actions)[0]
    await wg.call("POST", f"/working-group/v1/actions/{first['id']}/reported")  # the demo held it already
    return str(rec)


async def answers(reader: Person) -> bool:
    try:
        return (await reader.http.get("/healthz")).status_code == 200
    except httpx.TransportError:
        return False


async def read(reader: Person, path: str, **params: Any) -> Any:
    return await reader.call("GET", f"/progress/v1/{path}", params=params)


async def exported_ids(reader: Person, path: str, id_column: str) -> list[str]:
    """The ids in a list's CSV and XLSX downloads, which must agree with each other."""
    params = {"limit": 10_000}
    as_csv = await reader.http.get(f"/progress/v1/{path}", params={**params, "format": "csv"})
    as_xlsx = await reader.http.get(f"/progress/v1/{path}", params={**params, "format": "xlsx"})
    assert as_csv.status_code == as_xlsx.status_code == 200
    from_csv = [row[id_column] for row in csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig")))]
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content), read_only=True).active
    assert sheet is not None
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    from_xlsx = [str(row[header.index(id_column)]) for row in rows]
    assert from_csv == from_xlsx
    return from_csv


async def assert_dashboard_agrees_with_the_lists(reader: Person) -> dict[str, Any]:
    board = await read(reader, "dashboard")
    recommendations = (await read(reader, "recommendations", limit=10_000))["items"]
    assert board["totals"]["total"] == len(recommendations)
    assert await exported_ids(reader, "recommendations", "recommendation_id") == [
        r["recommendation_id"] for r in recommendations
    ]
    for status, count in board["totals"]["by_status"].items():
        assert count == sum(1 for r in recommendations if r["status"] == status)
    actions = (await read(reader, "actions"))["items"]
    assert board["participants"]["participants"] == sum(a["participants"] for a in actions) > 0
    assert sum(board["participants"]["by_sex"].values()) == sum(sum(a["participants_by_sex"].values()) for a in actions)
    approaches = (await read(reader, "social-approaches"))["items"]
    marked = sum(1 for a in approaches if a["women_and_girls"])
    assert (board["social_approaches"]["approaches"], board["social_approaches"]["marked"]) == (len(approaches), marked)
    milestones = (await read(reader, "milestones"))["items"]
    assert await exported_ids(reader, "milestones", "milestone_id") == [m["milestone_id"] for m in milestones]
    assert sum(row["planned"] for row in board["milestones_by_local_government"]) == len(milestones)
    assert sum(row["done"] for row in board["milestones_by_local_government"]) == sum(
        1 for m in milestones if m["report_status"] == "done"
    )
    return dict(board)


async def publish_synthetic_stories(settings: Settings, recommendations: int) -> int:
    """Twenty events of every topic per recommendation, straight onto the topics (as the relays would)."""
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_servers, linger_ms=20, max_batch_size=1 << 20)
    await producer.start()
    try:
        sent = []
        for _ in range(recommendations):
            for event in story(uuid4(), uuid4(), uuid4(), uuid4())[0].events:
                key = event.subject.encode()
                sent.append(await producer.send(event.data.TOPIC, event.to_json(), key=key))
        await asyncio.gather(*sent)
        return len(sent)
    finally:
        await producer.stop()


async def test_replay_after_losing_the_progress_database_gives_the_same_projections(
    stack: RunningStack, request: pytest.FixtureRequest
) -> None:
    db_url = database_url(request)
    settings = settings_of(stack, db_url)
    await load_demo(settings, stack.document["services"], stack.document["tokens"])
    rec = await journey(stack)
    reader = person(stack, "progress", Role.OBSERVER, "OBSERVER")
    try:
        await eventually(
            lambda: read(reader, "milestones", recommendation_id=rec),
            until=lambda page: any(m["report_status"] == "done" for m in page["items"]),
            within=60,
        )
    except AssertionError:
        print((stack.home / "logs" / "progress.log").read_text()[-3000:])
        raise
    await caught_up(settings)
    before, board = await snapshot(settings), await assert_dashboard_agrees_with_the_lists(reader)

    with progress_stopped(stack):
        await lose_progress_database(settings)
        replayed = run_replay(stack, db_url)
        assert replayed.returncode == 0
        assert f"joining consumer group '{CONSUMER.group}'" in replayed.stdout, "the wait to join is announced"
        after = await snapshot(settings)
    for table, rows in before.items():
        print(f"{table}: {len(rows)} rows before, {len(after[table])} after the replay")
    assert after == before

    await eventually(lambda: answers(reader), within=60)  # `sori up` starts progress again
    lga = person(stack, "roadmaps", Role.LGA, "ZELS")
    drafted = {"title": "After the replay"}
    new = (await lga.call("POST", f"/roadmaps/v1/roadmaps/{await zels_roadmap(lga)}/recommendations", json=drafted))[
        "id"
    ]
    await reader.until(f"/progress/v1/recommendations/{new}", "status", "drafted", within=90)
    await caught_up(settings)
    later = await snapshot(settings)
    assert len(later["statuschange"]) == len(before["statuschange"]) + 1, (
        "the live consumer went on, applying nothing twice"
    )
    assert (await read(reader, "dashboard"))["participants"] == board["participants"]

    refused = run_replay(stack, db_url)
    assert refused.returncode == 1
    assert "live members" in refused.stderr
    assert await snapshot(settings) == later, "a refused replay touches nothing"


@pytest.fixture(params=DATABASES)
def own_stack(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[RunningStack, str | None]]:
    """A stack of the backlog's own: on the module's, a replay after the other test's two waited on the embedded
    broker's group for good (past the replay's 300 s)."""
    db_url = POSTGRES_URL if request.param == "postgresql" else None
    with running_stack(tmp_path / "stack", db_url, "--no-demo") as running:
        yield running, db_url


def test_replay_of_a_backlog_on_every_topic_applies_each_event_once(own_stack: tuple[RunningStack, str | None]) -> None:
    stack, db_url = own_stack
    settings = settings_of(stack, db_url)
    with progress_stopped(stack), paused(stack, "bridge", "worker"):
        published = asyncio.run(publish_synthetic_stories(settings, recommendations=BACKLOG))
        replayed = run_replay(stack, db_url)
        assert replayed.returncode == 0
        counts = asyncio.run(snapshot(settings))
    assert len(counts["recommendationprogress"]) == BACKLOG
    assert len(counts["statuschange"]) == BACKLOG * 5
    assert len(counts["milestoneprogress"]) == BACKLOG * 2
    # Besides the stories, progress took the reference entries roadmaps told of when it loaded its file at start.
    reference_entries = sum(len(reference_document()[section]) for section in TABLES)
    assert len(counts["inbox"]) == published + reference_entries
