"""`sori migrate`: every service's database brought to the newest revision its code knows (one SQLite file or
PostgreSQL schema each, with its own version table); `--revision` writes the revisions the models' changes need."""

from pathlib import Path

from sori.db import Database
from sori.migrations import Migration, migrate, write_revision
from sori.service import ServiceSpec
from sori.settings import Settings


def all_specs() -> list[ServiceSpec]:
    from services.notifications.app import SPEC as NOTIFICATIONS
    from services.progress.app import SPEC as PROGRESS
    from services.roadmaps.app import SPEC as ROADMAPS
    from services.social_approaches.app import SPEC as SOCIAL_APPROACHES
    from services.working_group.app import SPEC as WORKING_GROUP
    from workflows.worker import SPEC as WORKFLOWS

    return [ROADMAPS, WORKING_GROUP, SOCIAL_APPROACHES, PROGRESS, NOTIFICATIONS, WORKFLOWS]


def revisions_of(spec: ServiceSpec) -> Path:
    assert spec.migrations, f"{spec.name} names no migrations"
    return spec.migrations


async def migrate_service_database(db: Database, spec: ServiceSpec) -> Migration:
    return await migrate(db, spec.name, revisions_of(spec))


async def migrate_service(settings: Settings, spec: ServiceSpec) -> Migration:
    db = Database(settings, spec.name, spec.metadata)
    try:
        return await migrate_service_database(db, spec)
    finally:
        await db.dispose()


async def migrate_all(settings: Settings) -> list[Migration]:
    return [await migrate_service(settings, spec) for spec in all_specs()]


def write_revisions(message: str) -> list[str]:
    """A new revision for each service whose models changed since its head."""
    done = []
    for spec in all_specs():
        written = write_revision(spec.metadata, revisions_of(spec), message)
        done.append(f"{spec.name}: {written or 'no change'}")
    return done
