"""The dashboard's answers are reused while nothing changed, for a bounded time while writes go on, and shared by
readers asking at once; a commit and that time passing give a fresh one, computed while the outdated one is still
served if it is not too old. Its overdue lists hold the longest overdue."""

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from contracts.lifecycle import RecommendationStatus
from services.progress import dashboard, dashboard_cache
from services.progress.dashboard_cache import KEPT, Dashboards, Filters
from services.progress.models import MilestoneProgress, RecommendationProgress
from services.progress.schemas import Dashboard
from sori.db import Database
from tests.polling import eventually


async def add_recommendation(db: Database, association: str = "ZELS") -> None:
    async with db.transaction() as session:
        session.add(
            RecommendationProgress(
                recommendation_id=uuid4(),
                status=RecommendationStatus.SUBMITTED,
                updated_at=datetime.now(UTC),
                last_event_id=uuid4(),
                association=association,
            )
        )


async def test_an_answer_is_reused_while_nothing_was_committed(progress_db: Database) -> None:
    dashboards = Dashboards(progress_db, max_age_seconds=0, stale_seconds=0)
    first = await dashboards.read(Filters())
    assert await dashboards.read(Filters()) is first


async def test_a_commit_gives_a_fresh_answer_once_the_last_is_older_than_the_max_age(progress_db: Database) -> None:
    dashboards = Dashboards(progress_db, max_age_seconds=0, stale_seconds=0)
    assert (await dashboards.read(Filters())).totals.total == 0
    await add_recommendation(progress_db)
    assert (await dashboards.read(Filters())).totals.total == 1


async def test_while_writes_go_on_a_young_answer_is_served(progress_db: Database) -> None:
    dashboards = Dashboards(progress_db, max_age_seconds=3600, stale_seconds=0)
    first = await dashboards.read(Filters())
    await add_recommendation(progress_db)
    assert await dashboards.read(Filters()) is first
    assert (await dashboards.read(Filters(association="ZELS"))).totals.total == 1, "other filters compute anew"


async def test_an_outdated_answer_is_served_while_its_successor_is_computed(progress_db: Database) -> None:
    dashboards = Dashboards(progress_db, max_age_seconds=0, stale_seconds=3600)
    first = await dashboards.read(Filters())
    await add_recommendation(progress_db)
    assert await dashboards.read(Filters()) is first, "the reader does not wait"
    assert Filters() in dashboards.computing, "the successor is under way"

    async def latest() -> Dashboard:
        return await dashboards.read(Filters())

    await eventually(latest, until=lambda board: board.totals.total == 1)


async def test_an_answer_older_than_the_stale_limit_makes_the_reader_wait(progress_db: Database) -> None:
    dashboards = Dashboards(progress_db, max_age_seconds=0, stale_seconds=3600)
    await dashboards.read(Filters())
    dashboards.stale = 0
    await add_recommendation(progress_db)
    assert (await dashboards.read(Filters())).totals.total == 1


async def test_readers_asking_at_once_share_one_computation(progress_db: Database) -> None:
    dashboards = Dashboards(progress_db, max_age_seconds=0, stale_seconds=0)
    answers = await asyncio.gather(*(dashboards.read(Filters(economy="MK")) for _ in range(8)))
    assert all(answer is answers[0] for answer in answers)
    assert dashboards.computing == {}


async def test_a_reader_giving_up_does_not_cancel_the_computation_of_the_others(
    progress_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    released, readers = asyncio.Event(), 0

    async def held_dashboard(*args: Any, **kwargs: Any) -> Dashboard:
        await released.wait()  # the computation stays under way until both readers wait on it
        return await dashboard.dashboard(*args, **kwargs)

    async def waiting_readers() -> int:
        return readers

    async def read(dashboards: Dashboards) -> Dashboard:
        nonlocal readers
        readers += 1
        return await dashboards.read(Filters())

    monkeypatch.setattr(dashboard_cache, "dashboard", held_dashboard)
    dashboards = Dashboards(progress_db, max_age_seconds=0, stale_seconds=0)
    quitter, stayer = asyncio.create_task(read(dashboards)), asyncio.create_task(read(dashboards))
    await eventually(waiting_readers, until=lambda n: n == 2)
    quitter.cancel()
    released.set()
    assert (await stayer).totals.total == 0
    assert quitter.cancelled()


async def test_only_the_most_recently_read_choices_of_filters_are_kept(progress_db: Database) -> None:
    dashboards = Dashboards(progress_db, max_age_seconds=0, stale_seconds=0)
    for number in range(KEPT + 1):
        await dashboards.read(Filters(association=f"A{number}"))
    assert len(dashboards.answers) == KEPT
    assert Filters(association="A0") not in dashboards.answers


async def test_the_overdue_lists_hold_the_longest_overdue_and_count_them_all(
    progress_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard, "OVERDUE_LISTED", 2)
    rang = datetime.now(UTC)
    async with progress_db.transaction() as session:
        for days_late in (3, 30, 10):
            session.add(
                MilestoneProgress(
                    milestone_id=uuid4(),
                    recommendation_id=uuid4(),
                    local_government="MK-KUMANOVO",
                    title=f"{days_late} days late",
                    due_date=date.today() - timedelta(days=days_late),
                    overdue_at=rang,
                )
            )
    board = await Dashboards(progress_db, max_age_seconds=0, stale_seconds=0).read(Filters())
    assert board.overdue_milestones_total == 3
    assert [m.title for m in board.overdue_milestones] == ["30 days late", "10 days late"]
