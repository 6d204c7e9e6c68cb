"""A programme at scale, put straight into the services' PostgreSQL tables: recommendations in every association's
roadmap, their milestone plans, the local governments' reports, and progress' projections of them. Bulk inserts, so
that a million rows take a minute rather than an afternoon of HTTP calls."""

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Table, insert, text

from contracts.lifecycle import RecommendationStatus
from contracts.social_approaches import MilestoneProgress
from services.progress.app import SPEC as PROGRESS
from services.progress.models import MilestoneProgress as MilestoneProjection
from services.progress.models import RecommendationProgress
from services.roadmaps.app import SPEC as ROADMAPS
from services.roadmaps.models import Recommendation, Roadmap
from services.roadmaps.reference_loader import reference_document
from services.social_approaches.app import SPEC as SOCIAL_APPROACHES
from services.social_approaches.models import MilestoneReport, PlannedMilestone
from sori.db import Database
from sori.settings import Settings
from sori.tables import table_of

ASSOCIATIONS = ("ZELS", "AAM", "AKM", "SOGFBIH", "ALVRS")
PROGRAMME = "SoRi 4"
MILESTONES_PER_RECOMMENDATION = 2.5
CHUNK = 10_000


@dataclass(frozen=True)
class Loaded:
    recommendations: int
    milestones: int
    reports: int
    seconds: float
    roadmap_of: dict[str, UUID]

    @property
    def rows_per_second(self) -> float:
        return (self.recommendations + self.milestones + self.reports) / self.seconds


def _roadmaps(now: datetime) -> list[dict[str, Any]]:
    return [
        {
            "id": uuid4(),
            "title": f"{code} roadmap",
            "priority_topics": [],
            "target_groups": [],
            "programme": PROGRAMME,
            "association": code,
            "status": "adopted",
            "created_at": now,
            "updated_at": now,
        }
        for code in ASSOCIATIONS
    ]


def _recommendations(count: int, roadmaps: list[dict[str, Any]], now: datetime) -> Iterator[dict[str, Any]]:
    statuses = list(RecommendationStatus)
    for number in range(count):
        roadmap = roadmaps[number % len(roadmaps)]
        title = f"Recommendation {number} on social services"
        yield {
            "id": uuid4(),
            "roadmap_id": roadmap["id"],
            "association": roadmap["association"],
            "programme": PROGRAMME,
            "code": f"{roadmap['association']}-B-{number}",
            "status": random.choice(statuses),
            "version": 1,
            "title": title,
            "search_titles": title.lower(),
            "text": {"title": title, "language": "en"},
            "local_governments": [],
            "created_at": now - timedelta(seconds=count - number),
            "updated_at": now,
        }


def _milestones(recommendations: list[dict[str, Any]], count: int) -> Iterator[dict[str, Any]]:
    for number in range(count):
        rec = recommendations[number % len(recommendations)]
        yield {
            "milestone_id": uuid4(),
            "recommendation_id": rec["id"],
            "association": rec["association"],
            "local_government": f"{rec['association']}-LG{number % 20}",
            "title": f"Milestone {number}",
            "due_date": date(2025, 1, 1) + timedelta(days=number % 700),
            "indicators": [],
        }


def _reports(milestones: list[dict[str, Any]], count: int, now: datetime) -> Iterator[dict[str, Any]]:
    progress = list(MilestoneProgress)
    for number in range(count):
        milestone = milestones[number % len(milestones)]
        yield {
            "id": uuid4(),
            "recommendation_id": milestone["recommendation_id"],
            "milestone_id": milestone["milestone_id"],
            "local_government": milestone["local_government"],
            "status": progress[number % len(progress)],
            "narrative": "Reported at scale.",
            "indicators": [],
            "evidence_ids": [],
            "reported_at": now - timedelta(minutes=number % 100_000),
        }


def _progress_of(recs: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    # What progress hears from roadmaps' reference events, read here from roadmaps' file.
    economies = {entry["code"]: entry["economy"] for entry in reference_document()["associations"]}
    for rec in recs:
        yield {
            "recommendation_id": rec["id"],
            "status": rec["status"],
            "updated_at": rec["updated_at"],
            "last_event_id": uuid4(),
            "code": rec["code"],
            "roadmap_id": rec["roadmap_id"],
            "association": rec["association"],
            "economy": economies.get(rec["association"]),
            "programme": PROGRAMME,
            "title": rec["title"],
            "language": "en",
            "version": 1,
            "local_governments": [],
        }


def _milestone_progress_of(milestones: list[dict[str, Any]], reports: int, now: datetime) -> Iterator[dict[str, Any]]:
    per_milestone = reports // max(len(milestones), 1)
    for number, milestone in enumerate(milestones):
        yield {
            "milestone_id": milestone["milestone_id"],
            "recommendation_id": milestone["recommendation_id"],
            "association": milestone["association"],
            "local_government": milestone["local_government"],
            "title": milestone["title"],
            "due_date": milestone["due_date"],
            "planned_at": now,
            "report_status": list(MilestoneProgress)[number % len(MilestoneProgress)],
            "reported_at": now,
            "reports": per_milestone,
        }


async def _insert(db: Database, table: Table, rows: Iterator[dict[str, Any]], keep: bool = False) -> list[Any]:
    kept: list[dict[str, Any]] = []
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            await _write(db, table, chunk)
            kept += chunk if keep else []
            chunk = []
    if chunk:
        await _write(db, table, chunk)
        kept += chunk if keep else []
    return kept


async def _write(db: Database, table: Table, rows: list[dict[str, Any]]) -> None:
    async with db.transaction() as session:
        await session.execute(insert(table), rows)


async def _analyze(db: Database, *models: type[Any]) -> None:
    # Fresh planner statistics, as autovacuum would gather a while after a bulk load.
    async with db.engine.begin() as conn:
        for model in models:
            await conn.execute(text(f'ANALYZE "{db.schema}"."{table_of(model).name}"'))


async def load_programme(
    settings: Settings, recommendations: int, reports: int, say: Callable[[str], None] = print
) -> Loaded:
    """Put `recommendations` recommendations and `reports` milestone reports in place (PostgreSQL only)."""
    if not settings.database_url:
        raise RuntimeError("the at-scale figures need PostgreSQL: pass --database-url or set DATABASE_URL")
    roadmaps_db = Database(settings, ROADMAPS.name, ROADMAPS.metadata)
    social_db = Database(settings, SOCIAL_APPROACHES.name, SOCIAL_APPROACHES.metadata)
    progress_db = Database(settings, PROGRESS.name, PROGRESS.metadata)
    now = datetime.now(UTC)
    started = time.perf_counter()
    try:
        roadmaps = await _insert(roadmaps_db, table_of(Roadmap), iter(_roadmaps(now)), keep=True)
        recs = await _insert(
            roadmaps_db, table_of(Recommendation), _recommendations(recommendations, roadmaps, now), True
        )
        say(f"  loaded {len(recs):,} recommendations")
        milestone_count = int(recommendations * MILESTONES_PER_RECOMMENDATION)
        milestones = await _insert(social_db, table_of(PlannedMilestone), _milestones(recs, milestone_count), True)
        say(f"  loaded {len(milestones):,} planned milestones")
        await _insert(social_db, table_of(MilestoneReport), _reports(milestones, reports, now))
        say(f"  loaded {reports:,} milestone reports")
        await _insert(progress_db, table_of(RecommendationProgress), _progress_of(recs))
        await _insert(progress_db, table_of(MilestoneProjection), _milestone_progress_of(milestones, reports, now))
        say("  loaded progress' projections of them")
        await _analyze(roadmaps_db, Roadmap, Recommendation)
        await _analyze(social_db, PlannedMilestone, MilestoneReport)
        await _analyze(progress_db, RecommendationProgress, MilestoneProjection)
    finally:
        for db in (roadmaps_db, social_db, progress_db):
            await db.dispose()
    roadmap_of = {str(r["association"]): r["id"] for r in roadmaps}
    return Loaded(recommendations, milestone_count, reports, time.perf_counter() - started, roadmap_of)
