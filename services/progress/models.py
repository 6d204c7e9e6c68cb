"""Progress' projections: the read side, rebuilt from the topics at any time."""

from datetime import datetime
from uuid import UUID

from sqlmodel import Field, SQLModel

from contracts.lifecycle import RecommendationStatus
from sori.tables import service_registry
from sori.types import UTCDateTime


class ProgressTable(SQLModel, registry=service_registry("progress")):
    pass


class RecommendationProgressBase(SQLModel):
    recommendation_id: UUID = Field(primary_key=True)
    status: RecommendationStatus = Field(max_length=30, index=True)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class RecommendationProgress(RecommendationProgressBase, ProgressTable, table=True):
    last_event_id: UUID


class RecommendationProgressPublic(RecommendationProgressBase):
    pass
