"""`sori migrate`: every service's schema, created where missing (one SQLite file or PostgreSQL schema each)."""

from sori.db import Database
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


async def migrate_all(settings: Settings) -> list[str]:
    done = []
    for spec in all_specs():
        db = Database(settings, spec.name, spec.metadata)
        try:
            await db.create_schema()
        finally:
            await db.dispose()
        done.append(f"{spec.name}: {len(spec.metadata.tables)} tables in place")
    return done
