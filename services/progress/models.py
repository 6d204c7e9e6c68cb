"""Progress' tables: the projections, rebuilt from the topics at any time (`sori replay`), and the kept reports."""

from datetime import UTC, date, datetime
from enum import StrEnum
from uuid import UUID, uuid4

from sqlalchemy import JSON, LargeBinary, Table
from sqlmodel import Field, SQLModel, UniqueConstraint

from contracts.languages import Language
from contracts.lifecycle import RecommendationStatus
from sori.columns import UTCDateTime
from sori.tables import service_registry


class ProgressTable(SQLModel, registry=service_registry("progress")):
    pass


class RecommendationProgressBase(SQLModel):
    recommendation_id: UUID = Field(primary_key=True)
    status: RecommendationStatus = Field(max_length=30, index=True)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class RecommendationProgress(RecommendationProgressBase, ProgressTable, table=True):
    """Status from the lifecycle; the rest from roadmaps' facts, whichever topic comes first."""

    last_event_id: UUID
    # The lifecycle's sequence of the move that set `status` (None: a move from before lifecycles numbered them).
    status_sequence: int | None = None
    code: str | None = Field(default=None, max_length=50)
    roadmap_id: UUID | None = None
    association: str | None = Field(default=None, max_length=50, index=True)
    economy: str | None = Field(default=None, max_length=50, index=True)
    programme: str | None = Field(default=None, max_length=50, index=True)
    title: str | None = None
    language: str | None = Field(default=None, max_length=10)
    version: int | None = None
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    implemented_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    local_governments: list[str] = Field(default_factory=list, sa_type=JSON)
    assigned_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    review_overdue_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The text version the working group endorsed; and whether a revision changed the title or its language since
    # the draft, when `title` (the drafted one) is no longer the recommendation's and never shown publicly.
    endorsed_version: int | None = None
    title_revised: bool = False


class StatusChange(ProgressTable, table=True):
    """One applied lifecycle transition: the timeline, and the status on any past date."""

    event_id: UUID = Field(primary_key=True)
    recommendation_id: UUID = Field(index=True)
    # Its place in the recommendation's lifecycle: the order of the timeline (None: from before the numbering).
    sequence: int | None = None
    # When its cause happened, which is when the status changed.
    at: datetime = Field(sa_type=UTCDateTime)
    from_status: RecommendationStatus | None = Field(default=None, max_length=30)
    to_status: RecommendationStatus = Field(max_length=30)
    cause_event_type: str = Field(max_length=120)
    actor_org: str = Field(max_length=50)
    actor_role: str = Field(max_length=20)
    comments: list[str] = Field(default_factory=list, sa_type=JSON)


class MilestoneProgress(ProgressTable, table=True):
    """A milestone's plan (newest plan fact wins), its reports and the lifecycle's clocks; a report may come first."""

    milestone_id: UUID = Field(primary_key=True)
    recommendation_id: UUID = Field(index=True)
    association: str | None = Field(default=None, max_length=50)
    local_government: str = Field(max_length=50, index=True)
    title: str | None = None
    due_date: date | None = None
    # The indicators a `done` report must give, as the newest plan names them.
    indicators: list[str] = Field(default_factory=list, sa_type=JSON)
    planned_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    report_status: str | None = Field(default=None, max_length=20)
    reported_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reports: int = 0
    evidence_count: int = 0
    overdue_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    escalated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ActionProgress(ProgressTable, table=True):
    """A working-group action: its plan, and the counts of its latest held or reported fact."""

    action_id: UUID = Field(primary_key=True)
    kind: str = Field(max_length=40)
    title: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    online: bool | None = None
    language: str | None = Field(default=None, max_length=10)
    stage: str = Field(default="planned", max_length=20)
    counted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sessions: int = 0
    participants: int = 0
    attended: int = 0
    participants_by_sex: dict[str, int] = Field(default_factory=dict, sa_type=JSON)
    participants_by_organisation_type: dict[str, int] = Field(default_factory=dict, sa_type=JSON)


class SocialApproachProgress(ProgressTable, table=True):
    approach_id: UUID = Field(primary_key=True)
    local_government: str = Field(max_length=50)
    association: str | None = Field(default=None, max_length=50)
    economy: str | None = Field(default=None, max_length=50)
    approach_type: str = Field(max_length=80)
    women_and_girls: bool
    status: str = Field(max_length=20)
    beneficiaries_planned: int
    beneficiaries_reached: int
    updated_at: datetime = Field(sa_type=UTCDateTime)


class AssociationEconomy(ProgressTable, table=True):
    """Which economy an association belongs to, as roadmaps' reference data says (None until it has said): the
    economy of the association's recommendations and social approaches."""

    association: str = Field(primary_key=True, max_length=50)
    economy: str | None = Field(default=None, max_length=50)


class IndicatorActual(ProgressTable, table=True):
    """One indicator's value as one milestone report gave it, with its breakdown by sex. An indicator is known by
    its name within its recommendation until the results framework gives indicators identifiers of their own."""

    # Derived from the report and the indicator's name (services.progress.domain.actual_id): stable across replays.
    actual_id: UUID = Field(primary_key=True)
    report_id: UUID
    indicator: str = Field(max_length=300)
    recommendation_id: UUID = Field(index=True)
    milestone_id: UUID
    local_government: str = Field(max_length=50)
    report_status: str = Field(max_length=20)
    value: float
    by_sex: dict[str, float] = Field(default_factory=dict, sa_type=JSON)
    reported_at: datetime = Field(sa_type=UTCDateTime)


class PublicationDecision(ProgressTable, table=True):
    """NALAS's latest decision on what the public side shows of one item (no row: as the rules say)."""

    item_id: UUID = Field(primary_key=True)
    item_kind: str = Field(max_length=30)
    visibility: str = Field(max_length=30)
    reason: str = ""
    decided_at: datetime = Field(sa_type=UTCDateTime)


def table_of(model: type[ProgressTable]) -> Table:
    return ProgressTable.metadata.tables[str(model.__tablename__)]


# The tables the handlers keep, as plain rows (see sori.rows).
RECOMMENDATIONS = table_of(RecommendationProgress)
STATUS_CHANGES = table_of(StatusChange)
MILESTONES = table_of(MilestoneProgress)
ACTIONS = table_of(ActionProgress)
APPROACHES = table_of(SocialApproachProgress)
ECONOMIES = table_of(AssociationEconomy)
ACTUALS = table_of(IndicatorActual)
PUBLICATION = table_of(PublicationDecision)


def projection_tables() -> list[Table]:
    """What `sori replay` recreates from the topics: the projections and the inbox (kept reports are not)."""
    tables = (RECOMMENDATIONS, STATUS_CHANGES, MILESTONES, ACTIONS, APPROACHES, ECONOMIES, ACTUALS, PUBLICATION)
    return [ProgressTable.metadata.tables["inbox"], *tables]


class ReportTrigger(StrEnum):
    SCHEDULED = "scheduled"
    ON_DEMAND = "on_demand"


class ProgressReportBase(SQLModel):
    period_start: datetime = Field(sa_type=UTCDateTime)
    period_end: datetime = Field(sa_type=UTCDateTime, index=True)
    language: Language = Field(max_length=10)
    trigger: ReportTrigger = Field(max_length=20)
    created_at: datetime = Field(sa_type=UTCDateTime, default_factory=lambda: datetime.now(UTC))
    html_size: int = Field(description="bytes")
    pdf_size: int = Field(description="bytes")


class ProgressReport(ProgressReportBase, ProgressTable, table=True):
    """A periodic progress report, kept with its HTML and PDF."""

    # Not a projection: `sori replay` must leave this table alone, and the bytes live here so replicas share them.
    __tablename__ = "progress_report"
    __table_args__ = (UniqueConstraint("period_end", "language"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    html: bytes = Field(sa_type=LargeBinary)
    pdf: bytes = Field(sa_type=LargeBinary)
