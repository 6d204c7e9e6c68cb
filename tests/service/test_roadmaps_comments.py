"""NALAS and the owning association discuss each version of a recommendation in comments."""

from uuid import UUID

from contracts.envelope import Role
from contracts.roadmaps import CommentAdded
from tests.support.roadmaps import a_drafted_recommendation, published, read, zels
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens


async def test_nalas_and_the_owning_association_comment_on_a_version(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)
    path = f"/roadmaps/v1/recommendations/{recommendation['id']}/versions/1/comments"

    from_nalas = await roadmaps.http.post(
        path, json={"body": "Please add the numbers."}, headers=tokens.header(Role.NALAS, "NALAS", sub="wg-chair")
    )
    from_zels = await roadmaps.http.post(path, json={"body": "Added in version 2."}, headers=zels(tokens))

    assert (from_nalas.status_code, from_zels.status_code) == (201, 201)
    comments = await read(roadmaps, tokens, f"/recommendations/{recommendation['id']}/versions/1/comments")
    assert [(c["author_org"], c["author_role"], c["body"]) for c in comments] == [
        ("NALAS", "nalas", "Please add the numbers."),
        ("ZELS", "lga", "Added in version 2."),
    ]
    events = await published(roadmaps, CommentAdded.TYPE, count=2)
    assert [(e.data.author_org, e.data.version) for e in events] == [("NALAS", 1), ("ZELS", 1)]
    assert events[0].data.comment_id == UUID(from_nalas.json()["id"])
    assert "Please add the numbers." not in events[0].to_json().decode()


async def test_comments_on_a_version_that_does_not_exist_are_a_404(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)

    response = await roadmaps.http.post(
        f"/roadmaps/v1/recommendations/{recommendation['id']}/versions/2/comments",
        json={"body": "Hello"},
        headers=zels(tokens),
    )

    assert response.status_code == 404
    assert response.json()["detail"] == f"recommendation {recommendation['id']} has no version 2"


async def test_an_empty_comment_is_refused(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)

    response = await roadmaps.http.post(
        f"/roadmaps/v1/recommendations/{recommendation['id']}/versions/1/comments",
        json={"body": ""},
        headers=zels(tokens),
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "body"]
