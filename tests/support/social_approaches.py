"""The social-approaches story every tier tells: a local government's social mapping, approaches, planned
milestones and their evidence."""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from contracts.envelope import Actor, Envelope, Role, new_event
from contracts.lifecycle import MilestonesPlanned, RecommendationStatus, StatusChanged
from contracts.roadmaps import PlannedMilestone
from contracts.topics import LIFECYCLE, SOCIAL_APPROACHES
from tests.polling import eventually
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens

LG = "MK-KUMANOVO"

NEIGHBOUR_LG = "MK-STRUMICA"

LGA = "ZELS"

OTHER_LGA = "AAM"

API = "/social-approaches/v1"

WORKFLOW = Actor(sub="lifecycle", org="NALAS", role=Role.NALAS)

ROMA = {"group": "roma", "total": 120, "by_sex": {"female": 64, "male": 56}, "by_age_band": {"0-17": 50, "18+": 70}}

MAPPING: dict[str, Any] = {
    "topic": "access-to-social-services",
    "title": "LNOB mapping: access to social services",
    "groups": [ROMA],
    "data_sources": ["social-welfare register 2024"],
    "findings": [{"text": "Roma women in rural settlements rarely reach the day centre", "groups": ["roma"]}],
    "gaps": ["no figures on persons with disabilities above 65"],
}

APPROACH: dict[str, Any] = {
    "approach_type": "mobile_outreach_team",
    "title": "Mobile outreach to Roma women",
    "women_and_girls": True,
    "beneficiaries_planned": [ROMA],
}


def lg(tokens: Tokens, org: str = LG) -> dict[str, str]:
    return tokens.header(Role.LG, org)


async def create_mapping(sa: ServiceUnderTest, tokens: Tokens, org: str = LG, **changes: Any) -> dict[str, Any]:
    response = await sa.http.post(f"{API}/mappings", json={**MAPPING, **changes}, headers=lg(tokens, org))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def create_approach(sa: ServiceUnderTest, tokens: Tokens, org: str = LG, **changes: Any) -> dict[str, Any]:
    response = await sa.http.post(f"{API}/approaches", json={**APPROACH, **changes}, headers=lg(tokens, org))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def lifecycle_event(payload: MilestonesPlanned | StatusChanged, at: datetime | None = None) -> Envelope:
    subject = str(payload.recommendation_id)
    return new_event(payload, subject=subject, actor=WORKFLOW, source="lifecycle", time=at or datetime.now(UTC))


async def plan(
    sa: ServiceUnderTest,
    *,
    org: str = LG,
    indicators: list[str] | None = None,
    status: RecommendationStatus = RecommendationStatus.IN_IMPLEMENTATION,
) -> tuple[UUID, UUID]:
    """The lifecycle assigns a recommendation with one milestone to `org`; returns (recommendation, milestone)."""
    recommendation_id, milestone_id = uuid4(), uuid4()
    milestone = PlannedMilestone(
        milestone_id=milestone_id,
        title="Day centre opened",
        due_date=date.today() + timedelta(days=90),
        local_government=org,
        indicators=indicators if indicators is not None else ["people attending weekly"],
    )
    planned = MilestonesPlanned(recommendation_id=recommendation_id, association=LGA, milestones=[milestone])
    await sa.deliver(LIFECYCLE, lifecycle_event(planned).to_json())
    changed = StatusChanged(
        recommendation_id=recommendation_id,
        from_status=RecommendationStatus.ENDORSED,
        to_status=status,
        cause_event_id=uuid4(),
        cause_event_type="sori.roadmaps.recommendation.assigned.v1",
        association=LGA,
    )
    await sa.deliver(LIFECYCLE, lifecycle_event(changed).to_json())
    return recommendation_id, milestone_id


async def published(sa: ServiceUnderTest, event_type: str, count: int) -> list[Envelope]:
    async def probe() -> list[Envelope]:
        return [e for e in sa.published.events(SOCIAL_APPROACHES) if e.type == event_type]

    return await eventually(probe, until=lambda events: len(events) >= count)


PDF = b"%PDF-1.7\n%%EOF\n"


async def evidence(sa: ServiceUnderTest, tokens: Tokens, org: str = LG) -> str:
    response = await sa.http.post(
        f"{API}/evidence", files={"file": ("report.pdf", PDF, "application/pdf")}, headers=lg(tokens, org)
    )
    assert response.status_code == 201, response.text
    evidence_id: str = response.json()["evidence_id"]
    return evidence_id


def reports_path(recommendation_id: UUID, milestone_id: UUID) -> str:
    return f"{API}/recommendations/{recommendation_id}/milestones/{milestone_id}/reports"
