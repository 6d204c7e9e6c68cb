"""Examples that the OpenAPI page shows for each request and response (illustrative, not reference data)."""

from typing import Any

from fastapi import Body

from services.roadmaps.domain.text import EXAMPLE as TEXT
from services.roadmaps.schemas import RECOMMENDATION_EXAMPLE as RECOMMENDATION

RECOMMENDATION_ID = RECOMMENDATION["id"]
ROADMAP_ID = RECOMMENDATION["roadmap_id"]
MILESTONE_ID = "5d2e7b40-1c3a-4e8f-b6a1-2f9c0d4e6a77"
WHEN = RECOMMENDATION["created_at"]

ROADMAP_CREATE = {
    "programme": "SoRi 4",
    "title": "ZELS roadmap on social inclusion",
    "priority_topics": ["social_services", "social_mapping"],
    "target_groups": ["persons_with_disabilities", "roma", "women_girls"],
}
ROADMAP_UPDATE = {"status": "adopted", "target_groups": ["persons_with_disabilities", "roma", "elderly"]}
ROADMAP = {
    **ROADMAP_CREATE,
    "id": ROADMAP_ID,
    "association": "ZELS",
    "status": "draft",
    "period_start": "2022-12-01",
    "period_end": "2025-11-30",
    "created_at": WHEN,
    "updated_at": WHEN,
}
PAGE = {"items": [RECOMMENDATION], "next_cursor": "eyJ0IjogIjIwMjQtMDMtMDFUMDk6MzA6MDArMDA6MDAiLCAiaWQiOiAiLi4uIn0"}
VERSION = {
    "number": 2,
    "text": {**TEXT, "proposed_measures": "Open three satellite units."},
    "changed_fields": ["proposed_measures"],
    "author_org": "ZELS",
    "created_at": WHEN,
}
VERSIONS = [
    {"number": 1, "title": TEXT["title"], "changed_fields": [], "author_org": "ZELS", "created_at": WHEN},
    {
        "number": 2,
        "title": TEXT["title"],
        "changed_fields": ["proposed_measures"],
        "author_org": "ZELS",
        "created_at": WHEN,
    },
]
COMMENT_CREATE = {"body": "Please give the number of households the mapping found."}
COMMENT = {
    **COMMENT_CREATE,
    "id": "9a7f3c21-0b4d-4f6e-8c2a-1d5e7f9b3a44",
    "recommendation_id": RECOMMENDATION_ID,
    "version": 1,
    "author": "wg-member@NALAS",
    "author_org": "NALAS",
    "author_role": "nalas",
    "created_at": WHEN,
}
MILESTONE = {
    "id": MILESTONE_ID,
    "recommendation_id": RECOMMENDATION_ID,
    "title": "Satellite day-care unit opens",
    "due_date": "2025-06-30",
    "local_government": "MK-KUMANOVO",
    "indicators": ["day-care places in rural settlements"],
}
ASSIGNMENT = {"recommendation_id": RECOMMENDATION_ID, "local_governments": ["MK-KUMANOVO"], "milestones": [MILESTONE]}
PROGRAMME = {"name": "Social inclusion roadmap (SoRi), third phase", "starts_on": "2022-12-01", "ends_on": "2025-11-30"}
ASSOCIATION = {"name": "Association of the Units of Local Self-Government of North Macedonia", "economy": "MK"}
LOCAL_GOVERNMENT = {"name": "Kumanovo", "association": "ZELS", "note": "illustrative demo data"}
GROUP = {"label": "Persons with disabilities"}
TOPIC = {"label": "Community-based social services"}
REFERENCE = {
    "version": "2026.1",
    "programmes": [{"code": "SoRi 3", **PROGRAMME, "note": ""}],
    "economies": [{"code": "MK", "name": "North Macedonia"}],
    "associations": [
        {"code": "ZELS", **ASSOCIATION, "local_governments": [{"code": "MK-KUMANOVO", **LOCAL_GOVERNMENT}]}
    ],
    "groups": [{"code": "persons_with_disabilities", **GROUP}],
    "topics": [{"code": "social_services", **TOPIC}],
}


def example_body(example: Any) -> Any:
    """A request body's example on the OpenAPI page: `body: Annotated[Model, example_body(...)]`."""
    return Body(openapi_examples={"example": {"summary": "an example", "value": example}})


def responds(example: Any, status: int = 200) -> dict[int | str, dict[str, Any]]:
    """The `responses` of a route, showing an example of its success."""
    return {status: {"content": {"application/json": {"example": example}}}}
