"""An association drafts a recommendation, revises it into new immutable versions, compares them, and resubmits
the current version after changes were requested."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from contracts.lifecycle import RecommendationStatus
from contracts.roadmaps import RecommendationDrafted, RecommendationRevised, RecommendationSubmitted
from services.roadmaps.domain.text import EXAMPLE, RecommendationText
from sori.settings import Settings
from tests.support.roadmaps import a_drafted_recommendation, draft, lifecycle_applies, published, read, settle, zels
from tests.support.services import ServiceUnderTest, service_under_test
from tests.support.tokens import Tokens

# The example text as the service keeps it: every field, defaults filled in.
TEXT = RecommendationText.model_validate(EXAMPLE).model_dump(mode="json")


async def revise(service: ServiceUnderTest, tokens: Tokens, recommendation_id: str, **changes: Any) -> Any:
    return await service.http.post(
        f"/roadmaps/v1/recommendations/{recommendation_id}/versions", json=changes, headers=zels(tokens)
    )


async def test_a_draft_keeps_its_whole_text_as_version_1(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens, **EXAMPLE)

    assert {k: recommendation[k] for k in TEXT} == TEXT
    assert recommendation["version"] == 1
    version = await read(roadmaps, tokens, f"/recommendations/{recommendation['id']}/versions/1")
    assert version["text"] == TEXT
    assert version["author_org"] == "ZELS"
    assert [v["number"] for v in await read(roadmaps, tokens, f"/recommendations/{recommendation['id']}/versions")] == [
        1
    ]


@pytest.fixture
async def roadmaps_without_relay_polling(settings: Settings) -> AsyncIterator[ServiceUnderTest]:
    from services.roadmaps.app import SPEC, create_app

    no_polling = settings.model_copy(update={"outbox_poll_seconds": 3600.0})
    async with service_under_test(no_polling, SPEC, create_app) as service:
        yield service


async def test_each_draft_wakes_the_outbox_relay(
    roadmaps_without_relay_polling: ServiceUnderTest, tokens: Tokens
) -> None:
    """A draft's event wakes the relay, which would otherwise wait its hour-long fallback poll."""
    service = roadmaps_without_relay_polling
    first = await a_drafted_recommendation(service, tokens)
    await published(service, RecommendationDrafted.TYPE)
    await draft(service, tokens, first["roadmap_id"])
    assert len(await published(service, RecommendationDrafted.TYPE, count=2)) == 2


async def test_drafts_made_at_once_in_one_association_take_distinct_consecutive_codes(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    """Drafts at once queue for their association's code counter (on PostgreSQL over the pool's connections): none
    takes another's number, none is skipped, and each one's event tells the code its answer does."""
    first = await a_drafted_recommendation(roadmaps, tokens)

    answers = await asyncio.gather(
        *(draft(roadmaps, tokens, first["roadmap_id"], topics=["social_services"]) for _ in range(12))
    )

    assert sorted(int(a["code"].rsplit("-", 1)[1]) for a in answers) == list(range(2, 14))
    drafted = await published(roadmaps, RecommendationDrafted.TYPE, count=13)
    assert {(e.subject, e.data.code) for e in drafted} == {(a["id"], a["code"]) for a in [first, *answers]}


async def test_a_draft_naming_an_unknown_group_or_topic_is_refused_naming_it(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)
    path = f"/roadmaps/v1/roadmaps/{recommendation['roadmap_id']}/recommendations"

    unknown_group = await roadmaps.http.post(
        path, json={"title": "t", "target_groups": ["roma", "martians"]}, headers=zels(tokens)
    )
    unknown_topic = await roadmaps.http.post(path, json={"title": "t", "topics": ["astrology"]}, headers=zels(tokens))

    assert unknown_group.status_code == 422
    assert unknown_group.json()["detail"] == "unknown vulnerable groups: martians (see GET /roadmaps/v1/reference)"
    assert unknown_topic.status_code == 422
    assert unknown_topic.json()["detail"] == "unknown social topics: astrology (see GET /roadmaps/v1/reference)"


async def test_a_draft_with_a_malformed_sdg_target_or_a_translation_into_its_own_language_is_refused(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)
    path = f"/roadmaps/v1/roadmaps/{recommendation['roadmap_id']}/recommendations"

    bad_sdg = await roadmaps.http.post(path, json={"title": "t", "sdg_targets": ["18.1"]}, headers=zels(tokens))
    own_language = await roadmaps.http.post(
        path, json={"title": "t", "language": "mk", "translations": {"mk": {"title": "т"}}}, headers=zels(tokens)
    )

    assert bad_sdg.status_code == 422
    assert bad_sdg.json()["detail"][0]["loc"] == ["body", "sdg_targets", 0]
    assert own_language.status_code == 422
    assert "translations must be into other languages than the text's own (mk)" in own_language.text


async def test_each_revision_is_a_new_version_and_the_earlier_ones_stay_as_they_were(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens, **EXAMPLE)
    rid = recommendation["id"]

    second = await revise(roadmaps, tokens, rid, proposed_measures="Open three satellite units.", priority="high")
    third = await revise(roadmaps, tokens, rid, sdg_targets=["10.2", "3.8"], title="Day care near home")

    assert second.status_code == 201, second.text
    assert (second.json()["number"], second.json()["changed_fields"]) == (2, ["proposed_measures"])
    assert (third.json()["number"], third.json()["changed_fields"]) == (3, ["title", "sdg_targets"])
    assert (await read(roadmaps, tokens, f"/recommendations/{rid}/versions/1"))["text"] == TEXT
    current = await read(roadmaps, tokens, f"/recommendations/{rid}")
    assert (current["version"], current["title"], current["proposed_measures"]) == (
        3,
        "Day care near home",
        "Open three satellite units.",
    )
    revised = await published(roadmaps, RecommendationRevised.TYPE, count=2)
    assert [(e.data.version, e.data.changed_fields) for e in revised] == [
        (2, ["proposed_measures"]),
        (3, ["title", "sdg_targets"]),
    ]
    assert {e.subject for e in revised} == {rid}


async def test_the_diff_gives_before_and_after_per_field_and_a_unified_diff_for_long_texts(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens, **EXAMPLE)
    rid = recommendation["id"]
    await revise(roadmaps, tokens, rid, proposed_measures="Open three satellite units.\nRun a transport service.")
    await revise(roadmaps, tokens, rid, sdg_targets=["10.2"])

    diff = await read(roadmaps, tokens, f"/recommendations/{rid}/versions/diff?from=1&to=3")

    assert (diff["from_version"], diff["to_version"]) == (1, 3)
    changes = {c["field"]: c for c in diff["changes"]}
    assert set(changes) == {"proposed_measures", "sdg_targets"}
    assert changes["sdg_targets"] == {
        "field": "sdg_targets",
        "before": ["10.2", "1.3"],
        "after": ["10.2"],
        "unified_diff": None,
    }
    measures = changes["proposed_measures"]
    assert measures["before"] == EXAMPLE["proposed_measures"]
    assert measures["after"] == "Open three satellite units.\nRun a transport service."
    assert measures["unified_diff"].splitlines() == [
        "--- proposed_measures v1",
        "+++ proposed_measures v3",
        "@@ -1 +1,2 @@",
        f"-{EXAMPLE['proposed_measures']}",
        "+Open three satellite units.",
        "+Run a transport service.",
    ]


async def test_a_diff_with_a_version_that_does_not_exist_is_a_404(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)

    response = await roadmaps.http.get(
        f"/roadmaps/v1/recommendations/{recommendation['id']}/versions/diff?from=1&to=4", headers=zels(tokens)
    )

    assert response.status_code == 404
    assert response.json()["detail"] == f"recommendation {recommendation['id']} has no version 4"


async def test_a_revision_that_changes_nothing_or_names_nothing_is_refused(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)

    same = await revise(roadmaps, tokens, recommendation["id"], title=recommendation["title"])
    empty = await revise(roadmaps, tokens, recommendation["id"])

    assert same.status_code == 422
    assert same.json()["detail"] == "the revision changes nothing: every field it names has that value"
    assert empty.status_code == 422
    assert empty.json()["detail"] == "a revision names at least one field to change"


async def test_a_revision_to_an_invalid_text_is_refused_with_the_reason(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)
    rid = recommendation["id"]

    null_title = await revise(roadmaps, tokens, rid, title=None)
    unknown_field = await revise(roadmaps, tokens, rid, colour="blue")
    unknown_group = await revise(roadmaps, tokens, rid, target_groups=["martians"])
    own_language = await revise(roadmaps, tokens, rid, translations={"en": {"title": "Same language"}})

    assert null_title.status_code == 422
    assert null_title.json()["detail"].startswith("the revised text is not valid: title:")
    assert unknown_field.status_code == 422
    assert unknown_field.json()["detail"][0]["loc"] == ["body", "colour"]
    assert unknown_group.status_code == 422
    assert "martians" in unknown_group.json()["detail"]
    assert own_language.status_code == 422
    assert "other languages than the text's own (en)" in own_language.json()["detail"]


async def test_revising_a_submitted_recommendation_is_refused_naming_its_state(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)
    await roadmaps.http.post(f"/roadmaps/v1/recommendations/{recommendation['id']}/submit", headers=zels(tokens))

    response = await revise(roadmaps, tokens, recommendation["id"], title="Too late")

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "a recommendation that is submitted cannot be revised; only changes_requested, drafted ones can"
    )


async def test_after_changes_are_requested_the_revision_is_resubmitted_with_its_version(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)
    rid = recommendation["id"]
    await roadmaps.http.post(f"/roadmaps/v1/recommendations/{rid}/submit", headers=zels(tokens))
    await lifecycle_applies(roadmaps, RecommendationSubmitted.TYPE, RecommendationStatus.SUBMITTED)
    await settle(roadmaps, rid, RecommendationStatus.CHANGES_REQUESTED)

    revised = await revise(roadmaps, tokens, rid, evidence="Kumanovo social mapping, 2023")
    resubmitted = await roadmaps.http.post(f"/roadmaps/v1/recommendations/{rid}/submit", headers=zels(tokens))

    assert revised.status_code == 201, revised.text
    assert resubmitted.status_code == 200, resubmitted.text
    assert (resubmitted.json()["status"], resubmitted.json()["version"]) == ("submitted", 2)
    submissions = await published(roadmaps, RecommendationSubmitted.TYPE, count=2)
    assert [e.data.version for e in submissions] == [1, 2]
