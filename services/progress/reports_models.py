"""Periodic progress reports, kept: the table holding each report's HTML and PDF, and its API schemas."""

from datetime import UTC, datetime
from enum import StrEnum
from uuid import UUID, uuid4

from pydantic import AwareDatetime
from sqlalchemy import LargeBinary
from sqlmodel import Field, SQLModel, UniqueConstraint

from contracts.languages import Language
from services.progress.models import ProgressTable
from sori.columns import UTCDateTime


class ReportTrigger(StrEnum):
    SCHEDULED = "scheduled"
    ON_DEMAND = "on_demand"


class ReportRequest(SQLModel):
    """What to report on. The period ends at `period_end` (default: now) and starts where the last scheduled
    report before it ended (a month earlier for the first one); the same end and language give the same report."""

    period_end: AwareDatetime | None = None
    language: Language = Language.ENGLISH
    trigger: ReportTrigger = ReportTrigger.ON_DEMAND


class ProgressReportBase(SQLModel):
    period_start: datetime = Field(sa_type=UTCDateTime)
    period_end: datetime = Field(sa_type=UTCDateTime, index=True)
    language: Language = Field(max_length=10)
    trigger: ReportTrigger = Field(max_length=20)
    created_at: datetime = Field(sa_type=UTCDateTime, default_factory=lambda: datetime.now(UTC))
    html_size: int = Field(description="bytes")
    pdf_size: int = Field(description="bytes")


class ProgressReport(ProgressReportBase, ProgressTable, table=True):
    # Not a projection: `sori replay` must leave this table alone, and the bytes live here so replicas share them.
    __tablename__ = "progress_report"
    __table_args__ = (UniqueConstraint("period_end", "language"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    html: bytes = Field(sa_type=LargeBinary)
    pdf: bytes = Field(sa_type=LargeBinary)


class ProgressReportPublic(ProgressReportBase):
    id: UUID
    html_url: str
    pdf_url: str

    @classmethod
    def of(cls, report: ProgressReport) -> "ProgressReportPublic":
        base = f"/progress/v1/reports/{report.id}"
        fields = ProgressReportBase.model_validate(report, from_attributes=True).model_dump()
        return cls(**fields, id=report.id, html_url=f"{base}.html", pdf_url=f"{base}.pdf")
