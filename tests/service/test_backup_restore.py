"""`sori backup` then `sori restore` on SQLite and PostgreSQL: every database, the evidence files and the secret come
back, every outbox row is queued to be sent again (the inboxes skip repeats), and a corrupt archive or a running
stack is refused before anything changes."""

import json
import os
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import select, update

from services.roadmaps.app import SPEC as ROADMAPS
from sori.db import Database
from sori.outbox import add_event, outbox_table
from sori.settings import Settings
from sori_cli.backup.manifest import MANIFEST
from sori_cli.backup.restore import restore_backup
from sori_cli.backup.take import take_backup
from sori_cli.migrate import all_specs, migrate_all
from sori_cli.stack.child import drop_stack_schemas
from sori_cli.stack.report import STACK_FILE
from tests.support.backups import rewritten_tar
from tests.support.outbox import submitted as submission

pytestmark = pytest.mark.service
EVIDENCE = b"%PDF-1.4 attendance list of the first training"


@pytest.fixture
async def home(settings: Settings) -> AsyncIterator[Path]:
    """SORI_HOME with every service's database made, and an evidence file; the PostgreSQL schemas dropped after."""
    await migrate_all(settings)
    (settings.home / "evidence").mkdir(parents=True)
    (settings.home / "evidence" / "ab12").write_bytes(EVIDENCE)
    yield settings.home
    if settings.database_url:
        await drop_stack_schemas(settings.database_url, settings.database_schema_prefix)


async def submitted(settings: Settings, *, published: bool) -> UUID:
    """A recommendation submitted in roadmaps: its event in the outbox, sent to the broker already or not yet."""
    event = submission()
    db = Database(settings, ROADMAPS.name, ROADMAPS.metadata)
    try:
        async with db.transaction() as session:
            await add_event(session, event)
            if published:
                await session.execute(update(outbox_table).values(published_at=datetime.now(UTC)))
    finally:
        await db.dispose()
    return event.id


async def outbox(settings: Settings) -> dict[UUID, datetime | None]:
    db = Database(settings, ROADMAPS.name, ROADMAPS.metadata)
    try:
        async with db.reading() as session:
            rows = await session.execute(select(outbox_table.c.event_id, outbox_table.c.published_at))
            return {event_id: published_at for event_id, published_at in rows}
    finally:
        await db.dispose()


async def wipe(settings: Settings) -> None:
    if settings.database_url:
        await drop_stack_schemas(settings.database_url, settings.database_schema_prefix)
    shutil.rmtree(settings.home)


@pytest.mark.parametrize("name", ["sori.tar.gz", "sori.zip"])
async def test_a_restore_into_a_wiped_home_brings_everything_back_and_queues_every_event_again(
    settings: Settings, home: Path, tmp_path: Path, name: str
) -> None:
    sent = await submitted(settings, published=True)
    archive = tmp_path / name
    assert await take_backup(settings, archive) == 0
    await wipe(settings)

    assert await restore_backup(settings, archive) == 0

    assert await outbox(settings) == {sent: None}, "the relay sends it again; the readers' inboxes skip it"
    assert (home / "evidence" / "ab12").read_bytes() == EVIDENCE
    if not settings.database_url:
        assert sorted(path.stem for path in home.glob("*.db")) == sorted(spec.name for spec in all_specs())


async def test_the_manifest_names_the_version_revisions_sizes_and_checksums(
    settings: Settings, home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "sori.tar.gz"
    assert await take_backup(settings, archive) == 0
    shutil.unpack_archive(archive, tmp_path / "open")

    manifest = json.loads((tmp_path / "open" / MANIFEST).read_text())

    assert manifest["sori_version"]
    assert set(manifest["revisions"]) == {spec.name for spec in all_specs()}
    assert manifest["members"]["home/evidence/ab12"]["size"] == len(EVIDENCE)
    database = "databases/roadmaps." + ("pgdump" if settings.database_url else "db")
    assert len(manifest["members"][database]["sha256"]) == 64
    assert f"✓ {archive}" in capsys.readouterr().out


async def test_a_corrupt_archive_is_refused_and_nothing_changes(
    settings: Settings, home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "sori.tar.gz"
    assert await take_backup(settings, archive) == 0
    later = await submitted(settings, published=False)
    rewritten_tar(archive, {"home/evidence/ab12": b"%PDF-1.4 another list"})

    assert await restore_backup(settings, archive) == 1

    assert "home/evidence/ab12 does not match its size and checksum" in capsys.readouterr().err
    assert await outbox(settings) == {later: None}, "the database as it was before the restore"
    assert (home / "evidence" / "ab12").read_bytes() == EVIDENCE


async def test_a_running_stack_is_refused_and_nothing_changes(
    settings: Settings, home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "sori.tar.gz"
    assert await take_backup(settings, archive) == 0
    later = await submitted(settings, published=False)
    (home / STACK_FILE).write_text(json.dumps({"processes": {"progress": os.getpid()}}))

    assert await restore_backup(settings, archive) == 1

    assert f"SoRi is running on {home}: progress (pid {os.getpid()})" in capsys.readouterr().err
    assert await outbox(settings) == {later: None}


async def test_a_stack_file_left_by_a_stack_that_died_does_not_stop_a_restore(
    settings: Settings, home: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "sori.tar.gz"
    assert await take_backup(settings, archive) == 0
    (home / STACK_FILE).write_text(json.dumps({"processes": {"progress": 2**22 + 1}}))  # above pid_max: no process

    assert await restore_backup(settings, archive) == 0
