"""What a person types is stripped, bounded and free of control characters in every service: a title of spaces, a
line break in a milestone title (it would end up in a mail header) or an escape in a comment is a 422 naming the
field; a narrative keeps its line breaks and tabs."""

from typing import Any

import pytest

from contracts.lifecycle import RecommendationStatus as S
from contracts.working_group import ChangesRequested
from tests.support.roadmaps import ROADMAP, a_drafted_recommendation, an_endorsed_recommendation, assign, plan, zels
from tests.support.services import ServiceUnderTest
from tests.support.social_approaches import API, LG, MAPPING, lg
from tests.support.tokens import Tokens
from tests.support.working_group import nalas, post, published, recommendation_in


def refused_fields(response: Any) -> list[list[Any]]:
    assert response.status_code == 422, response.text
    return [error["loc"] for error in response.json()["detail"]]


@pytest.mark.parametrize("title", ["", "   ", "\t \u00a0"], ids=["empty", "spaces", "blank of all kinds"])
async def test_a_roadmap_titled_with_nothing_but_blanks_is_refused(
    roadmaps: ServiceUnderTest, tokens: Tokens, title: str
) -> None:
    response = await roadmaps.http.post("/roadmaps/v1/roadmaps", json={**ROADMAP, "title": title}, headers=zels(tokens))

    assert refused_fields(response) == [["body", "title"]]
    assert (await roadmaps.http.get("/roadmaps/v1/roadmaps", headers=zels(tokens))).json() == []


async def test_a_title_keeps_its_words_without_the_blanks_around_them(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    drafted = await a_drafted_recommendation(roadmaps, tokens, title="  Day care near home \n")

    assert drafted["title"] == "Day care near home"


async def test_a_milestone_title_with_a_line_break_is_refused(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    rid = await an_endorsed_recommendation(roadmaps, tokens)
    body = plan()
    body["milestones"][0]["title"] = "Unit opens\r\nBcc: everyone@example.org"

    response = await assign(roadmaps, tokens, rid, body)

    assert refused_fields(response) == [["body", "milestones", 0, "title"]]
    assert "U+000D" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("control", ["\x00", "\x1b", "\x7f", "\x85", "\u009b"], ids=["NUL", "ESC", "DEL", "NEL", "CSI"])
async def test_a_single_line_text_refuses_every_control_character(
    roadmaps: ServiceUnderTest, tokens: Tokens, control: str
) -> None:
    response = await roadmaps.http.post(
        "/roadmaps/v1/roadmaps", json={**ROADMAP, "title": f"ZELS{control}roadmap"}, headers=zels(tokens)
    )

    assert refused_fields(response) == [["body", "title"]]


async def test_a_comment_keeps_line_breaks_and_tabs_but_refuses_other_controls(
    wg: ServiceUnderTest, tokens: Tokens
) -> None:
    rid = await recommendation_in(wg, S.UNDER_REVIEW)
    path = f"/recommendations/{rid}/decision"

    escaped = await post(wg, path, {"decision": "request_changes", "comments": ["Add\x1b[2J a budget"]}, nalas(tokens))
    blank = await post(wg, path, {"decision": "request_changes", "comments": [" \n "]}, nalas(tokens))
    typed = await post(
        wg, path, {"decision": "request_changes", "comments": ["Add a budget:\r\n\t- per municipality"]}, nalas(tokens)
    )

    assert refused_fields(escaped) == [["body", "comments", 0]]
    assert refused_fields(blank) == [["body", "comments", 0]]
    assert typed.status_code == 200, typed.text
    [event] = await published(wg, 1)
    assert isinstance(event.data, ChangesRequested)
    assert event.data.comments == ["Add a budget:\n\t- per municipality"]


async def test_more_comments_than_a_decision_holds_are_refused(wg: ServiceUnderTest, tokens: Tokens) -> None:
    rid = await recommendation_in(wg, S.UNDER_REVIEW)

    response = await post(
        wg, f"/recommendations/{rid}/decision", {"decision": "request_changes", "comments": ["x"] * 21}, nalas(tokens)
    )

    assert refused_fields(response) == [["body", "comments"]]


async def test_a_mapping_refuses_a_blank_title_and_a_line_break_in_a_data_source(
    sa: ServiceUnderTest, tokens: Tokens
) -> None:
    response = await sa.http.post(
        f"{API}/mappings",
        json={**MAPPING, "title": "  ", "data_sources": ["register\n2024"]},
        headers=lg(tokens, LG),
    )

    assert refused_fields(response) == [["body", "title"], ["body", "data_sources", 0]]
