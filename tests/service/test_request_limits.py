"""A body over its route's limit is refused with 413 before it is read whole, and no refusal repeats the input."""

from collections.abc import AsyncIterator
from typing import Any

from sori.errors import BODY_LIMIT, TEXT_BODY_LIMIT, too_large
from tests.support.roadmaps import ROADMAP, a_drafted_recommendation, zels
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens

CHUNK = 64 * 1024
HUGE = 200 * 1024 * 1024


class Sent:
    """A body of `size` bytes that counts how much of it the service pulled."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.pulled = 0

    async def chunks(self) -> AsyncIterator[bytes]:
        yield b'{"programme": "SoRi 3", "title": "'
        while self.pulled < self.size:
            self.pulled += CHUNK
            yield b"x" * CHUNK
        yield b'"}'


async def test_a_200_mb_body_with_its_length_declared_is_refused_unread(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    body = Sent(HUGE)
    headers = {**zels(tokens), "content-type": "application/json", "content-length": str(HUGE)}

    response = await roadmaps.http.post("/roadmaps/v1/roadmaps", content=body.chunks(), headers=headers)

    assert response.status_code == 413, response.text[:300]
    assert response.json() == {"detail": too_large(BODY_LIMIT)}
    assert body.pulled <= CHUNK


async def test_a_streamed_body_is_cut_off_at_the_limit(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    body = Sent(HUGE)
    headers = {**zels(tokens), "content-type": "application/json"}

    response = await roadmaps.http.post("/roadmaps/v1/roadmaps", content=body.chunks(), headers=headers)

    assert response.status_code == 413, response.text[:300]
    assert "larger than" in response.json()["detail"]
    assert body.pulled <= BODY_LIMIT + CHUNK


async def test_a_recommendations_text_may_be_larger_than_other_bodies(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    drafted = await a_drafted_recommendation(roadmaps, tokens)
    long = "Day care near home. " * 999  # 19,980 characters
    translations = {language: {"title": "t", "problem_statement": long, "evidence": long} for language in ("sq", "mk")}
    revision = {"problem_statement": long, "evidence": long, "proposed_measures": long, "translations": translations}

    response = await roadmaps.http.post(
        f"/roadmaps/v1/recommendations/{drafted['id']}/versions", json=revision, headers=zels(tokens)
    )

    assert len(response.request.content) > BODY_LIMIT / 8
    assert response.status_code == 201, response.text[:300]


async def test_a_422_names_the_field_but_never_repeats_the_input(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    secret_like = "s3cr3t-" + "y" * 500_000

    response = await roadmaps.http.post(
        "/roadmaps/v1/roadmaps", json={**ROADMAP, "title": secret_like}, headers=zels(tokens)
    )

    assert response.status_code == 422
    assert "s3cr3t" not in response.text
    assert len(response.content) < 1_000
    assert [error["loc"] for error in response.json()["detail"]] == [["body", "title"]]


async def test_every_operation_with_a_body_documents_its_limit_and_413(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    spec = (await roadmaps.http.get("/openapi.json")).json()
    lacking: list[str] = []
    limits: dict[str, Any] = {}

    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if "requestBody" not in operation:
                continue
            limits[f"{method.upper()} {path}"] = operation["requestBody"].get("x-max-body-bytes")
            if "413" not in operation["responses"]:
                lacking.append(f"{method.upper()} {path}")

    assert not lacking, lacking
    assert limits["POST /roadmaps/v1/roadmaps"] == BODY_LIMIT
    assert limits["POST /roadmaps/v1/recommendations/{recommendation_id}/versions"] == TEXT_BODY_LIMIT
