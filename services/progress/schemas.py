"""Progress' API bodies: the public rows and the dashboard (as the JSON API, the portal and the reports read them),
and the progress reports ordered and kept."""

from datetime import date, datetime
from typing import Generic, TypeVar
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator
from sqlmodel import SQLModel

from contracts.languages import Language
from contracts.lifecycle import RecommendationStatus
from contracts.social_approaches import MilestoneProgress
from services.progress.domain import STATUS_NOT_YET_KNOWN, as_utc
from services.progress.models import ProgressReport, ProgressReportBase, ReportTrigger


class Row(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class RecommendationRow(Row):
    """One recommendation as the projections know it; fields from a topic not yet seen are null."""

    recommendation_id: UUID
    status: RecommendationStatus
    updated_at: datetime | None = Field(
        description="when the lifecycle last moved it; null until the lifecycle has said anything (status drafted)"
    )
    code: str | None = None
    roadmap_id: UUID | None = None
    association: str | None = None
    economy: str | None = None
    programme: str | None = None
    title: str | None = None
    language: str | None = None
    version: int | None = None
    submitted_at: datetime | None = None
    decided_at: datetime | None = None
    implemented_at: datetime | None = None
    verified_at: datetime | None = None
    local_governments: list[str] = Field(default_factory=list, description="the LGs it is assigned to")
    review_overdue: bool = False

    @field_validator("updated_at")
    @classmethod
    def _unknown_is_null(cls, moment: datetime | None) -> datetime | None:
        """The projection keeps "not yet known" as the earliest moment, so that any status change wins; shown, it is
        no time at all."""
        return None if moment is None or as_utc(moment) == STATUS_NOT_YET_KNOWN else moment


COMMENTS = (
    "what was written with it: the working group's comments when it requested changes, its reasons when it "
    "returned the implementation, a rejection's reason, a verification's note, a withdrawal's reason"
)


class RecommendationDetail(RecommendationRow):
    """One recommendation, with what was written with the change that brought it to its current status."""

    comments: list[str] = Field(default_factory=list, description=f"{COMMENTS}; empty when none was")


class StatusChangeRow(Row):
    recommendation_id: UUID
    event_id: UUID
    sequence: int | None = Field(
        default=None, description="its place in the recommendation's lifecycle; null on moves from before numbering"
    )
    at: datetime = Field(description="when its cause happened")
    from_status: RecommendationStatus | None
    to_status: RecommendationStatus
    cause_event_type: str
    actor_org: str
    actor_role: str
    comments: list[str] = Field(default_factory=list, description=COMMENTS)


class Timeline(BaseModel):
    """A recommendation's status changes up to `as_of` (all of them without it), and its status at that moment."""

    recommendation_id: UUID
    as_of: datetime | None
    status: RecommendationStatus | None = Field(description="null: it did not exist yet at `as_of`")
    changes: list[StatusChangeRow]


class MilestoneRow(Row):
    milestone_id: UUID
    recommendation_id: UUID
    association: str | None
    local_government: str
    title: str | None
    due_date: date | None
    report_status: MilestoneProgress | None = Field(description="the latest report's status; null: not reported")
    reported_at: datetime | None
    reports: int
    evidence_count: int
    overdue: bool = Field(description="the lifecycle said it is overdue since its last plan, and it is not done")
    escalated: bool


class ActionRow(Row):
    action_id: UUID
    kind: str
    title: str | None
    starts_on: date | None
    ends_on: date | None
    online: bool | None
    language: str | None
    stage: str = Field(description="planned, held or reported: the latest fact known")
    sessions: int
    participants: int
    attended: int
    participants_by_sex: dict[str, int]
    participants_by_organisation_type: dict[str, int]


class SocialApproachRow(Row):
    approach_id: UUID
    local_government: str
    association: str | None
    economy: str | None
    approach_type: str
    women_and_girls: bool
    status: str
    beneficiaries_planned: int
    beneficiaries_reached: int
    updated_at: datetime


RowT = TypeVar("RowT", bound=BaseModel)


class Page(BaseModel, Generic[RowT]):
    """One page of a list; `total` counts every row that matches the filters."""

    total: int
    offset: int
    limit: int
    items: list[RowT]


class Funnel(BaseModel):
    """Recommendations of one programme, economy or association (or all of them) by lifecycle status."""

    key: str
    total: int
    by_status: dict[RecommendationStatus, int]
    implemented_percent: float = Field(description="implemented or verified, as a share of the total")
    verified_percent: float


class LocalGovernmentMilestones(BaseModel):
    local_government: str
    planned: int
    due: int = Field(description="due on or before today")
    reported: int = Field(description="with at least one report")
    done: int
    overdue: int


class Participants(BaseModel):
    """Participants of every working-group action (actions belong to no one association, so no filter applies)."""

    actions: int
    participants: int
    attended: int
    by_sex: dict[str, int]
    by_organisation_type: dict[str, int]


class WomenAndGirls(BaseModel):
    """Social approaches with the women-and-girls marker, against the target share (SORI_WOMEN_AND_GIRLS_TARGET)."""

    approaches: int
    marked: int
    marked_percent: float
    target_percent: float
    target_met: bool


class Dashboard(BaseModel):
    """Where the regional roadmap stands, for the filters given (null filter: all).

    The overdue lists hold the longest overdue first, at most 100 of each; their totals count them all (the lists
    of recommendations and milestones page through the rest).
    """

    programme: str | None
    economy: str | None
    association: str | None
    totals: Funnel
    by_programme: list[Funnel]
    by_economy: list[Funnel]
    by_association: list[Funnel]
    overdue_reviews: list[RecommendationRow]
    overdue_reviews_total: int
    overdue_milestones: list[MilestoneRow]
    overdue_milestones_total: int
    milestones_by_local_government: list[LocalGovernmentMilestones]
    participants: Participants
    social_approaches: WomenAndGirls


class ReportRequest(SQLModel):
    """What to report on. The period ends at `period_end` (default: now) and starts where the last scheduled
    report before it ended (a month earlier for the first one); the same end and language give the same report."""

    period_end: AwareDatetime | None = None
    language: Language = Language.ENGLISH
    trigger: ReportTrigger = ReportTrigger.ON_DEMAND


class ProgressReportPublic(ProgressReportBase):
    id: UUID
    html_url: str
    pdf_url: str

    @classmethod
    def of(cls, report: ProgressReport) -> "ProgressReportPublic":
        base = f"/progress/v1/reports/{report.id}"
        fields = ProgressReportBase.model_validate(report, from_attributes=True).model_dump()
        return cls(**fields, id=report.id, html_url=f"{base}.html", pdf_url=f"{base}.pdf")
