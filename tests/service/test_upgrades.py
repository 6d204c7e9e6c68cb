"""Upgrades carry data: rows written at the revision before an upgrade are there after it and answer through the
API. Until a second revision exists, the upgrade is the one every install from before migrations takes: its tables
are stamped at the first revision and brought to the head."""

import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import Boolean, Column, DateTime, LargeBinary, MetaData, String, Uuid, column, table

from contracts.envelope import Actor, Role, new_event
from contracts.languages import Language
from contracts.roadmaps import RecommendationDrafted
from contracts.working_group import PublicationDecided, PublicItem, Visibility
from services.progress.app import SPEC as PROGRESS
from services.progress.app import create_app as create_progress
from services.social_approaches.app import SPEC as SOCIAL_APPROACHES
from services.social_approaches.app import create_app as create_social_approaches
from services.working_group.app import SPEC as WORKING_GROUP
from services.working_group.app import create_app
from sori.idempotency import HEADER
from sori.migrations import differences, revision_ids, write_revision
from sori.settings import Settings
from tests.polling import eventually
from tests.support.services import ServiceUnderTest, service_under_test, spec_and_factory
from tests.support.social_approaches import lg, plan, reports_path
from tests.support.tokens import Tokens
from tests.support.upgrades import (
    MILESTONE_PROGRESS,
    PRE_MIGRATION,
    RECOMMENDATION_PROGRESS,
    Rows,
    dropped_afterwards,
    submitted_by,
    upgrade_carrying,
)

AKM_LGA = Actor(sub="lga@AKM", org="AKM", role=Role.LGA)
NALAS_SECRETARIAT = Actor(sub="secretariat@nalas", org="NALAS", role=Role.NALAS)

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
CHAIR = {
    "id": uuid4(),
    "sub": "jana@zels",
    "name": "Jana P.",
    "association": "ZELS",
    "position": "CHAIR",
    "may_decide": True,
    "created_at": datetime(2026, 11, 20, 9, tzinfo=UTC),
}


async def test_members_from_an_install_before_migrations_are_kept_by_sori_migrate_and_listed_by_the_api(
    settings: Settings, tokens: Tokens
) -> None:
    assert WORKING_GROUP.migrations

    migration = await upgrade_carrying(settings, WORKING_GROUP, PRE_MIGRATION, [Rows(MEMBER, [CHAIR])])

    assert migration.stamped
    assert migration.found == revision_ids(WORKING_GROUP.migrations)[0]
    async with service_under_test(settings, WORKING_GROUP, create_app) as working_group:
        listed = await working_group.http.get(
            "/working-group/v1/members", headers=tokens.header(Role.NALAS, "NALAS", sub="secretariat@nalas")
        )
    assert listed.status_code == 200
    [member] = listed.json()
    assert (member["id"], member["sub"], member["position"], member["may_decide"]) == (
        str(CHAIR["id"]),
        "jana@zels",
        "chair",
        True,
    )
    assert member["created_at"].startswith("2026-11-20T09:00:00")


async def test_a_revision_written_for_a_changed_model_upgrades_the_revision_before_it_keeping_its_rows(
    settings: Settings, tmp_path: Path
) -> None:
    """What a developer does when a model changes (`sori migrate --revision`), and what an install then goes
    through: here members gain a phone number, in a copy of the working group's revisions."""
    assert WORKING_GROUP.migrations
    revisions = tmp_path / "versions"
    shutil.copytree(WORKING_GROUP.migrations, revisions)
    changed = MetaData(info=WORKING_GROUP.metadata.info)
    for model_table in WORKING_GROUP.metadata.tables.values():
        model_table.to_metadata(changed)
    changed.tables["member"].append_column(Column("phone", String(40), nullable=True))
    spec = replace(WORKING_GROUP, metadata=changed, migrations=revisions)
    *_, head_before = revision_ids(revisions)

    written = write_revision(changed, revisions, "members have a phone number")
    migration = await upgrade_carrying(settings, spec, head_before, [Rows(MEMBER, [CHAIR])])

    assert written is not None
    assert "add_column" in written.read_text()
    assert (migration.found, migration.head) == (head_before, revision_ids(revisions)[-1])
    assert migration.head != head_before
    async with dropped_afterwards(settings, spec) as db:
        assert await differences(db) == []


async def test_progress_upgraded_to_economies_by_event_keeps_its_rows_and_knows_the_economies_it_knew(
    settings: Settings, tokens: Tokens
) -> None:
    """Before this revision progress read economies from roadmaps' file, which an upgraded install has loaded
    already (so roadmaps tells of it no more): a recommendation drafted after the upgrade still gets its economy."""
    assert PROGRESS.migrations
    [first, *_] = revision_ids(PROGRESS.migrations)
    kept = submitted_by("ZELS", economy="MK")

    migration = await upgrade_carrying(settings, PROGRESS, first, [Rows(RECOMMENDATION_PROGRESS, [kept])])

    assert (migration.found, migration.head) == (first, revision_ids(PROGRESS.migrations)[-1])
    drafted = RecommendationDrafted(
        recommendation_id=uuid4(), roadmap_id=uuid4(), association="AKM", code="AKM-2026-09",
        title="Roma mediators", language=Language.ENGLISH, version=1,
    )  # fmt: skip
    event = new_event(drafted, subject=str(drafted.recommendation_id), actor=AKM_LGA, source="test")
    async with service_under_test(settings, PROGRESS, create_progress) as progress:
        await progress.deliver(event.data.TOPIC, event.to_json())
        observer = tokens.header(Role.OBSERVER, "OBSERVER")
        before = await progress.http.get(f"/progress/v1/recommendations/{kept['recommendation_id']}", headers=observer)
        after = await progress.http.get(f"/progress/v1/recommendations/{drafted.recommendation_id}", headers=observer)
    assert (before.status_code, before.json()["economy"], before.json()["status"]) == (200, "MK", "submitted")
    assert (after.status_code, after.json()["economy"]) == (200, "XK")


# The revision that keeps what the public side shows (later ones may follow it).
PUBLIC_SIDE = "42b82cd244ed"


async def test_progress_upgraded_to_the_public_side_keeps_its_rows_and_shows_the_endorsed_ones_publicly(
    settings: Settings,
) -> None:
    """The revision that keeps what the public side shows adds columns with the models' defaults to kept rows: an
    endorsed recommendation and its milestone are public after the upgrade, a submitted one is not, and NALAS's
    decisions and reported values are kept from then on."""
    assert PROGRESS.migrations
    revisions = revision_ids(PROGRESS.migrations)
    before, head = revisions[revisions.index(PUBLIC_SIDE) - 1], revisions[-1]
    endorsed = {**submitted_by("ZELS", economy="MK"), "status": "ENDORSED"}
    submitted = submitted_by("ZELS", economy="MK")
    milestone = {
        "milestone_id": uuid4(), "recommendation_id": endorsed["recommendation_id"], "local_government": "MK-TOWN",
        "title": "Service opens", "reports": 0, "evidence_count": 0,
    }  # fmt: skip
    kept = [Rows(RECOMMENDATION_PROGRESS, [endorsed, submitted]), Rows(MILESTONE_PROGRESS, [milestone])]

    migration = await upgrade_carrying(settings, PROGRESS, before, kept)

    assert (migration.found, migration.head) == (before, head)
    withheld = PublicationDecided(
        item_kind=PublicItem.MILESTONE, item_id=milestone["milestone_id"], visibility=Visibility.WITHHELD, reason="r"
    )
    async with service_under_test(settings, PROGRESS, create_progress) as progress:
        recommendations = (await progress.http.get("/public/data/recommendations.json")).json()["data"]
        milestones = await _public_milestones(progress)
        event = new_event(withheld, subject=str(withheld.item_id), actor=NALAS_SECRETARIAT, source="test")
        await progress.deliver(event.data.TOPIC, event.to_json())
        await eventually(lambda: _public_milestones(progress), until=lambda found: found == [])
    assert [r["id"] for r in recommendations] == [str(endorsed["recommendation_id"])]
    assert milestones == [str(milestone["milestone_id"])]


async def _public_milestones(progress: ServiceUnderTest) -> list[str]:
    return [m["id"] for m in (await progress.http.get("/public/data/milestones.json")).json()["data"]]


# Any service's outbox as its first revision has it (the columns a row needs).
OUTBOX = table(
    "outbox",
    column("event_id", Uuid),
    column("topic"),
    column("key"),
    column("type"),
    column("body", LargeBinary),
    column("created_at", DateTime(timezone=True)),
)


def queued_event() -> dict[str, object]:
    return {
        "event_id": uuid4(),
        "topic": "sori.test",
        "key": "k",
        "type": "sori.test.v1",
        "body": b"{}",
        "created_at": datetime(2026, 11, 20, 9, tzinfo=UTC),
    }


@pytest.mark.parametrize("service", ["roadmaps", "working_group", "social_approaches", "progress", "notifications"])
async def test_each_service_upgraded_to_idempotency_keys_keeps_its_rows_and_has_its_models_schema(
    settings: Settings, service: str
) -> None:
    spec, _factory = spec_and_factory(service)
    assert spec.migrations
    *_, before, head = revision_ids(spec.migrations)
    assert "idempotency_key" in (spec.migrations / f"{head}_idempotency_keys_a_command_sent_again_.py").read_text()

    migration = await upgrade_carrying(settings, spec, before, [Rows(OUTBOX, [queued_event()])])

    assert (migration.found, migration.head) == (before, head)
    async with dropped_afterwards(settings, spec) as db:
        assert await differences(db) == []


async def test_social_approaches_upgraded_to_idempotency_keys_reports_a_report_sent_twice_with_its_key_once(
    settings: Settings, tokens: Tokens
) -> None:
    assert SOCIAL_APPROACHES.migrations
    *_, before, _head = revision_ids(SOCIAL_APPROACHES.migrations)
    await upgrade_carrying(settings, SOCIAL_APPROACHES, before, [Rows(OUTBOX, [queued_event()])])

    async with service_under_test(settings, SOCIAL_APPROACHES, create_social_approaches) as sa:
        recommendation_id, milestone_id = await plan(sa)
        path, headers = reports_path(recommendation_id, milestone_id), {**lg(tokens), HEADER: "report-1"}
        sent = [await sa.http.post(path, json={"status": "on_track"}, headers=headers) for _ in range(2)]
        listed = await sa.http.get(path, headers=lg(tokens))

    assert [response.status_code for response in sent] == [201, 201]
    assert sent[0].content == sent[1].content
    assert [report["id"] for report in listed.json()] == [sent[0].json()["id"]]
