"""The roadmaps OpenAPI page shows every endpoint with a summary and examples, and the examples are true to it."""

from typing import Any

from pydantic import TypeAdapter

from services.roadmaps.api import examples as ex
from services.roadmaps.reference import ReferencePublic
from services.roadmaps.schemas import (
    AssignmentPublic,
    CommentPublic,
    MilestonePublic,
    RecommendationPage,
    RoadmapCreate,
    RoadmapPublic,
    RoadmapUpdate,
    VersionPublic,
    VersionSummary,
)
from tests.support.services import ServiceUnderTest


def operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", operation)
        for path, methods in spec["paths"].items()
        if path.startswith("/roadmaps/v1")
        for method, operation in methods.items()
    ]


def shows_an_example(content: dict[str, Any], schemas: dict[str, Any]) -> bool:
    schema = content.get("schema", {})
    if "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    return "example" in content or "examples" in content or "examples" in schema


async def test_every_endpoint_has_a_summary_and_request_and_response_examples(roadmaps: ServiceUnderTest) -> None:
    spec = (await roadmaps.http.get("/openapi.json")).json()
    schemas = spec["components"]["schemas"]
    lacking = []

    for name, operation in operations(spec):
        success = next(r for code, r in operation["responses"].items() if code.startswith("2"))
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if not operation.get("summary"):
            lacking.append(f"{name}: summary")
        if body is not None and not shows_an_example(body, schemas):
            lacking.append(f"{name}: request example")
        if "application/json" not in success["content"]:  # a download: a file, shown by its type
            binary = all(c["schema"].get("format") == "binary" for c in success["content"].values())
            lacking += [] if binary else [f"{name}: response type"]
        elif not shows_an_example(success["content"]["application/json"], schemas):
            lacking.append(f"{name}: response example")

    assert len(operations(spec)) >= 24
    assert lacking == []


def test_the_examples_are_valid_requests_and_responses() -> None:
    cases: list[tuple[Any, Any]] = [
        (RoadmapCreate, ex.ROADMAP_CREATE),
        (RoadmapUpdate, ex.ROADMAP_UPDATE),
        (RoadmapPublic, ex.ROADMAP),
        (RecommendationPage, ex.PAGE),
        (VersionPublic, ex.VERSION),
        (list[VersionSummary], ex.VERSIONS),
        (CommentPublic, ex.COMMENT),
        (AssignmentPublic, ex.ASSIGNMENT),
        (MilestonePublic, ex.MILESTONE),
        (ReferencePublic, ex.REFERENCE),
    ]
    for model, example in cases:
        TypeAdapter(model).validate_python(example)
