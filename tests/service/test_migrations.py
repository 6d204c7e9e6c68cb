"""Every service's schema comes from its own revisions: from empty to the head they make exactly what the models
say (on SQLite and PostgreSQL), `sori migrate` says what it did, an install from before migrations is stamped, and a
database newer than the code is refused, naming both revisions."""

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from services.working_group.app import SPEC as WORKING_GROUP
from services.working_group.app import create_app
from sori.db import Database
from sori.migrations import NewerThanCode, NotMadeBySoRi, differences, migrate, revision_ids
from sori.service import ServiceSpec
from sori.settings import Settings
from sori_cli.migrate import all_specs, migrate_all, revisions_of
from tests.support.services import empty_schema, service_under_test
from tests.support.upgrades import before_migrations, dropped_afterwards, in_its_schema

SPECS = {spec.name: spec for spec in all_specs()}
FUTURE = "f0f0f0f0f0f0"
# Python's sqlite3 waits 5 s for a lock unless told otherwise.
LONGER_THAN_THE_DRIVERS_WAIT = 6.0


@pytest.fixture
async def working_group_db(settings: Settings) -> AsyncIterator[Database]:
    async with dropped_afterwards(settings, WORKING_GROUP) as db:
        yield db


@pytest.mark.parametrize("service", SPECS)
async def test_a_service_migrated_from_empty_has_exactly_the_schema_of_its_models(
    settings: Settings, service: str
) -> None:
    spec = SPECS[service]
    async with dropped_afterwards(settings, spec) as db:
        await migrate(db, spec.name, revisions_of(spec))
        assert await differences(db) == []


async def test_sori_migrate_says_what_it_did_to_each_service_then_finds_each_at_its_head(settings: Settings) -> None:
    try:
        first = await migrate_all(settings)
        again = await migrate_all(settings)
    finally:
        for spec in all_specs():
            db = Database(settings, spec.name, spec.metadata)
            await db.drop_schema()
            await db.dispose()

    heads = {spec.name: revision_ids(revisions_of(spec))[-1] for spec in all_specs()}
    assert [str(m) for m in first] == [f"{name}: empty → {head}" for name, head in heads.items()]
    assert [str(m) for m in again] == [f"{name}: at head ({head})" for name, head in heads.items()]


async def test_two_processes_that_migrate_one_database_at_once_take_turns(settings: Settings) -> None:
    """Replicas that start together: the second waits for the first's migration, then finds the head."""
    head = revision_ids(revisions_of(WORKING_GROUP))[-1]
    async with dropped_afterwards(settings, WORKING_GROUP) as one:
        other = Database(settings, WORKING_GROUP.name, WORKING_GROUP.metadata)
        try:
            both = await asyncio.gather(
                *(migrate(db, WORKING_GROUP.name, revisions_of(WORKING_GROUP)) for db in (one, other))
            )
        finally:
            await other.dispose()

    assert sorted(str(m) for m in both) == [f"working_group: at head ({head})", f"working_group: empty → {head}"]


async def test_tables_made_before_migrations_are_stamped_at_the_first_revision(settings: Settings) -> None:
    async with empty_schema(settings, before_migrations(WORKING_GROUP)) as db:
        migration = await migrate(db, WORKING_GROUP.name, revisions_of(WORKING_GROUP))

        assert migration.stamped
        assert migration.found == revision_ids(revisions_of(WORKING_GROUP))[0]
        async with dropped_afterwards(settings, WORKING_GROUP) as now:
            assert await differences(now) == []


async def test_tables_that_are_not_the_first_revisions_are_refused_rather_than_stamped(
    settings: Settings, working_group_db: Database
) -> None:
    old = Database(settings, WORKING_GROUP.name, before_migrations(WORKING_GROUP).metadata)
    await old.create_schema()
    async with old.engine.begin() as conn:
        await conn.run_sync(lambda sync: old.metadata.tables["inbox"].drop(sync))
    await old.dispose()

    with pytest.raises(NotMadeBySoRi, match=r"working_group: .*not the ones revision .* differ: inbox\)"):
        await migrate(working_group_db, WORKING_GROUP.name, revisions_of(WORKING_GROUP))


async def from_the_future(db: Database, spec: ServiceSpec) -> None:
    """The database as a newer SoRi left it: at a revision this code has never seen."""
    await migrate(db, spec.name, revisions_of(spec))
    async with db.transaction() as session:
        await in_its_schema(session, db)
        await session.execute(text("UPDATE alembic_version SET version_num = :future"), {"future": FUTURE})


async def test_a_database_newer_than_the_code_is_refused_naming_the_revision_found_and_the_head_known(
    settings: Settings, working_group_db: Database
) -> None:
    await from_the_future(working_group_db, WORKING_GROUP)
    head = revision_ids(revisions_of(WORKING_GROUP))[-1]

    with pytest.raises(NewerThanCode, match=rf"revision {FUTURE}, .*its newest is {head}"):
        await migrate(working_group_db, WORKING_GROUP.name, revisions_of(WORKING_GROUP))


async def test_a_service_refuses_to_start_on_a_database_newer_than_its_code(
    settings: Settings, working_group_db: Database
) -> None:
    await from_the_future(working_group_db, WORKING_GROUP)

    with pytest.raises(NewerThanCode, match=FUTURE):
        async with service_under_test(settings, WORKING_GROUP, create_app):
            pass


@pytest.mark.parametrize("database_url", [None], ids=["sqlite"])  # a file lock: PostgreSQL's is the test above
async def test_a_migration_waits_out_a_lock_on_a_new_sqlite_file_held_longer_than_the_drivers_own_wait(
    settings: Settings,
) -> None:
    """A part starting beside another that has the file open (the bridge reading the worker's file while the worker
    migrates it) may find it locked for a while; the driver alone gives up after 5 s ("database is locked")."""
    async with dropped_afterwards(settings, WORKING_GROUP) as db:
        path = db.engine.url.database
        assert path is not None
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN EXCLUSIVE")
        released = threading.Timer(LONGER_THAN_THE_DRIVERS_WAIT, holder.rollback)
        released.start()
        try:
            migration = await migrate(db, WORKING_GROUP.name, revisions_of(WORKING_GROUP))
        finally:
            released.join()
            holder.close()

    assert str(migration) == f"working_group: empty → {revision_ids(revisions_of(WORKING_GROUP))[-1]}"
