"""Events published by the roadmaps service on sori.roadmaps.v1."""

from uuid import UUID

from pydantic import Field

from contracts.envelope import EventPayload
from contracts.languages import Language


class RecommendationDrafted(EventPayload):
    TYPE = "sori.roadmaps.recommendation.drafted.v1"

    recommendation_id: UUID
    roadmap_id: UUID
    association: str = Field(description="code of the LGA that owns the roadmap")
    code: str = Field(description="human code, e.g. ZELS-2024-07")
    title: str
    language: Language
    version: int = Field(ge=1)


class RecommendationSubmitted(EventPayload):
    TYPE = "sori.roadmaps.recommendation.submitted.v1"

    recommendation_id: UUID
    association: str
    version: int = Field(ge=1)
