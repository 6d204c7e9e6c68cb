"""A roadmap through Excel and back: recommendations imported from a sheet are those the sheet says; the roadmap
exported, imported again and exported again gives the same rows; and 500 recommendations import in one go (how fast
is `sori bench`'s figure)."""

import asyncio
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from typing import Any

from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from services.roadmaps.app import SPEC, create_app
from services.roadmaps.domain.text import RecommendationText
from services.roadmaps.sheet import COLUMNS, rows
from sori.exports import workbook
from sori.settings import Settings
from tests.support.roadmaps import create_roadmap, read, zels
from tests.support.services import ServiceUnderTest, service_under_test
from tests.support.sheets import recommendation_texts, records, upload, xlsx
from tests.support.tokens import Tokens


@contextmanager
def roadmaps_running(settings: Settings) -> Iterator[tuple[asyncio.Runner, ServiceUnderTest]]:
    """The service on its own loop, so that Hypothesis drives each example from a plain function."""
    with asyncio.Runner() as runner:
        stack = AsyncExitStack()
        try:
            yield runner, runner.run(stack.enter_async_context(service_under_test(settings, SPEC, create_app)))
        finally:
            runner.run(stack.aclose())


async def export(service: ServiceUnderTest, tokens: Tokens, roadmap_id: str) -> bytes:
    answer = await service.http.get(f"/roadmaps/v1/roadmaps/{roadmap_id}/sheet", headers=zels(tokens))
    assert answer.status_code == 200, answer.text
    return answer.content


async def imported(service: ServiceUnderTest, tokens: Tokens, roadmap_id: str, content: bytes) -> list[dict[str, Any]]:
    answer = await upload(service, f"/roadmaps/v1/roadmaps/{roadmap_id}/sheet", content, zels(tokens), dry_run=False)
    assert answer.status_code == 200, answer.text
    done: list[dict[str, Any]] = answer.json()["rows"]
    return done


def sheet_of(texts: list[dict[str, Any]]) -> bytes:
    """The texts as a person fills in the template: no id, code or status."""
    return workbook([("recommendations", rows({"id": "", "code": "", "status": "", "text": text} for text in texts))])


def test_a_roadmap_exported_imported_and_exported_again_gives_the_same_rows(settings: Settings, tokens: Tokens) -> None:
    with roadmaps_running(settings) as (runner, service):
        roadmap_id = runner.run(create_roadmap(service, tokens))["id"]

        @given(texts=st.lists(recommendation_texts(), min_size=1, max_size=3))
        @hypothesis_settings(
            max_examples=12,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def round_trip(texts: list[dict[str, Any]]) -> None:
            new = runner.run(imported(service, tokens, roadmap_id, sheet_of(texts)))
            for outcome, text in zip(new, texts, strict=True):
                assert outcome["action"] == "new"
                stored = runner.run(read(service, tokens, f"/recommendations/{outcome['id']}"))
                assert RecommendationText.model_validate(
                    {name: stored[name] for name in RecommendationText.model_fields}
                ) == RecommendationText.model_validate(text)
            first = records(runner.run(export(service, tokens, roadmap_id)))

            again = runner.run(imported(service, tokens, roadmap_id, xlsx(COLUMNS, *first)))

            assert {outcome["action"] for outcome in again} == {"unchanged"}
            assert records(runner.run(export(service, tokens, roadmap_id))) == first

        round_trip()


async def test_500_recommendations_import_in_one_go(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)
    many = [
        {"title": f"Recommendation {n}", "problem_statement": "Rural families lack day care. " * 5, "language": "en"}
        for n in range(500)
    ]

    done = await imported(roadmaps, tokens, roadmap["id"], sheet_of(many))

    assert len(done) == 500
    assert len({row["id"] for row in done}) == 500
    exported = records(await export(roadmaps, tokens, roadmap["id"]))
    assert sorted(row["title/en"] for row in exported) == sorted(text["title"] for text in many)
