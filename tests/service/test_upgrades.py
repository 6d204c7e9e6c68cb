"""Upgrades carry data: rows written at the revision before an upgrade are there after it and answer through the
API. Until a second revision exists, the upgrade is the one every install from before migrations takes: its tables
are stamped at the first revision and brought to the head."""

from datetime import UTC, datetime
from uuid import uuid4

from sqlalchemy import Boolean, DateTime, Uuid, column, table

from contracts.envelope import Role
from services.working_group.app import SPEC as WORKING_GROUP
from services.working_group.app import create_app
from sori.migrations import revision_ids
from sori.settings import Settings
from tests.conftest import Tokens
from tests.service.conftest import service_under_test
from tests.service.upgrades import PRE_MIGRATION, Rows, upgrade_carrying

# The working group's members as the first revision has them.
MEMBER = table(
    "member",
    column("id", Uuid),
    column("sub"),
    column("name"),
    column("association"),
    column("position"),
    column("may_decide", Boolean),
    column("created_at", DateTime(timezone=True)),
)


async def test_members_from_an_install_before_migrations_are_kept_by_sori_migrate_and_listed_by_the_api(
    settings: Settings, tokens: Tokens
) -> None:
    chair = {
        "id": uuid4(),
        "sub": "jana@zels",
        "name": "Jana P.",
        "association": "ZELS",
        "position": "CHAIR",
        "may_decide": True,
        "created_at": datetime(2026, 11, 20, 9, tzinfo=UTC),
    }
    assert WORKING_GROUP.migrations

    migration = await upgrade_carrying(settings, WORKING_GROUP, PRE_MIGRATION, [Rows(MEMBER, [chair])])

    assert migration.stamped
    assert migration.found == revision_ids(WORKING_GROUP.migrations)[0]
    async with service_under_test(settings, WORKING_GROUP, create_app) as working_group:
        listed = await working_group.http.get(
            "/working-group/v1/members", headers=tokens.header(Role.NALAS, "NALAS", sub="secretariat@nalas")
        )
    assert listed.status_code == 200
    [member] = listed.json()
    assert (member["id"], member["sub"], member["position"], member["may_decide"]) == (
        str(chair["id"]),
        "jana@zels",
        "chair",
        True,
    )
    assert member["created_at"].startswith("2026-11-20T09:00:00")
