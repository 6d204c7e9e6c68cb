"""Roadmaps' tables and API schemas: an association's roadmap and the recommendations drafted in it."""

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from sqlmodel import Field, SQLModel, UniqueConstraint

from contracts.languages import Language
from contracts.lifecycle import RecommendationStatus
from sori.tables import service_registry


def _now() -> datetime:
    return datetime.now(UTC)


class RoadmapsTable(SQLModel, registry=service_registry("roadmaps")):
    pass


class RoadmapBase(SQLModel):
    programme: str = Field(min_length=1, max_length=80, schema_extra={"examples": ["SoRi 3"]})
    title: str = Field(min_length=1, max_length=300, schema_extra={"examples": ["ZELS roadmap on social inclusion"]})
    period_start: date | None = None
    period_end: date | None = None


class RoadmapCreate(RoadmapBase):
    pass


class Roadmap(RoadmapBase, RoadmapsTable, table=True):
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    association: str = Field(max_length=50, index=True)
    created_at: datetime = Field(default_factory=_now)


class RoadmapPublic(RoadmapBase):
    id: UUID
    association: str
    created_at: datetime


class RecommendationBase(SQLModel):
    title: str = Field(
        min_length=1,
        max_length=300,
        schema_extra={"examples": ["Day-care services for persons with disabilities in rural areas"]},
    )
    problem_statement: str = Field(default="", max_length=20_000)
    proposed_measures: str = Field(default="", max_length=20_000)
    language: Language = Field(default=Language.ENGLISH, max_length=10, description="the text's language")


class RecommendationCreate(RecommendationBase):
    pass


class Recommendation(RecommendationBase, RoadmapsTable, table=True):
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    roadmap_id: UUID = Field(foreign_key="roadmap.id", index=True)
    association: str = Field(max_length=50, index=True)
    code: str = Field(max_length=50, unique=True)
    status: RecommendationStatus = Field(default=RecommendationStatus.DRAFTED, max_length=30, index=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)


class RecommendationPublic(RecommendationBase):
    id: UUID
    roadmap_id: UUID
    association: str
    code: str
    status: RecommendationStatus
    version: int
    created_at: datetime
    updated_at: datetime


class CodeSequence(RoadmapsTable, table=True):
    """The next number of an association's recommendation codes in a year (ZELS-2024-07)."""

    __table_args__ = (UniqueConstraint("association", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    association: str = Field(max_length=50)
    year: int
    last: int = Field(default=0)
