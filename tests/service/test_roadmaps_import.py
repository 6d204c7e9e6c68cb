"""An association imports recommendations from an Excel sheet: a dry run names every problem by row and column and
writes nothing; the import writes every row or none, each new row a draft with its drafted event, and a row with an
id a new version of that draft."""

from typing import Any

from contracts.envelope import Role
from contracts.lifecycle import RecommendationStatus
from contracts.roadmaps import RecommendationDrafted, RecommendationRevised
from services.roadmaps.sheet import COLUMNS
from tests.support.roadmaps import a_drafted_recommendation, create_roadmap, draft, published, read, settle, zels
from tests.support.services import ServiceUnderTest
from tests.support.sheets import lines, records, upload, xlsx
from tests.support.tokens import Tokens

GOOD = {
    "language": "en",
    "title/en": "Day-care centres in rural areas",
    "problem_statement/en": "No day care within reach.",
    "title/sq": "Qendra ditore në zonat rurale",
    "target_groups": "persons_with_disabilities, rural_residents",
    "topics": "social_services",
    "sdg_targets": "10.2; 1.3",
    "priority": "high",
}


def sheet_path(roadmap_id: str) -> str:
    return f"/roadmaps/v1/roadmaps/{roadmap_id}/sheet"


async def listed(service: ServiceUnderTest, tokens: Tokens) -> list[dict[str, Any]]:
    page = await read(service, tokens, "/recommendations?association=ZELS")
    items: list[dict[str, Any]] = page["items"]
    return items


async def test_a_dry_run_names_every_problem_by_row_and_column_and_writes_nothing(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)
    content = xlsx(
        COLUMNS,
        GOOD,
        {**GOOD, "title/en": None},
        {**GOOD, "topics": "no_such_topic", "problem_statement/sq": "pa titull", "title/sq": None},
        {**GOOD, "priority": "urgent", "id": "not-an-id", "expected_results": "[{"},
    )

    answer = await upload(roadmaps, sheet_path(roadmap["id"]), content, zels(tokens), dry_run=True)

    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["dry_run"] is True
    assert [(r["row"], r["action"], r["label"]) for r in report["rows"]] == [(2, "new", GOOD["title/en"])]
    assert sorted((p["row"], p["column"]) for p in report["problems"]) == [
        (3, "title/en"),
        (4, "title/sq"),
        (4, "topics"),
        (5, "expected_results"),
        (5, "id"),
        (5, "priority"),
    ]
    assert "no_such_topic" in next(p["problem"] for p in report["problems"] if p["column"] == "topics")
    assert await listed(roadmaps, tokens) == []
    first = await draft(roadmaps, tokens, roadmap["id"])
    assert first["code"].endswith("-01")  # not even a code was taken


async def test_one_bad_row_writes_nothing_and_the_refusal_names_its_row_and_column(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)
    content = xlsx(COLUMNS, GOOD, GOOD, {**GOOD, "sdg_targets": "10.2, 99.1"}, GOOD)

    answer = await upload(roadmaps, sheet_path(roadmap["id"]), content, zels(tokens), dry_run=False)

    assert answer.status_code == 422, answer.text
    refusal = answer.json()
    assert refusal["code"] == "sheet_has_problems"
    assert [(p["row"], p["column"]) for p in refusal["problems"]] == [(4, "sdg_targets")]
    assert "row 4, column sdg_targets" in refusal["detail"]
    assert await listed(roadmaps, tokens) == []
    first = await draft(roadmaps, tokens, roadmap["id"])
    assert first["code"].endswith("-01")


async def test_each_imported_row_is_a_draft_with_its_drafted_event_as_drafting_through_the_api_makes(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)
    content = xlsx(COLUMNS, GOOD, {**GOOD, "title/en": "Mobile social workers", "title/sq": None})

    answer = await upload(roadmaps, sheet_path(roadmap["id"]), content, zels(tokens), dry_run=False)

    assert answer.status_code == 200, answer.text
    rows = answer.json()["rows"]
    assert [r["action"] for r in rows] == ["new", "new"]
    drafted = await published(roadmaps, RecommendationDrafted.TYPE, count=2)
    assert {e.subject for e in drafted} == {r["id"] for r in rows}
    first = await read(roadmaps, tokens, f"/recommendations/{rows[0]['id']}")
    assert first["status"] == "drafted"
    assert first["version"] == 1
    assert first["translations"] == {
        "sq": {"title": GOOD["title/sq"], "problem_statement": "", "evidence": "", "proposed_measures": ""}
    }
    assert first["target_groups"] == ["persons_with_disabilities", "rural_residents"]
    assert first["sdg_targets"] == ["10.2", "1.3"]
    assert first["priority"] == "high"


async def test_reimporting_a_row_with_its_id_makes_a_new_version_of_that_draft_not_a_second_one(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)
    exported = await roadmaps.http.get(sheet_path(recommendation["roadmap_id"]), headers=zels(tokens))
    assert exported.status_code == 200
    [row] = records(exported.content)
    assert row["id"] == recommendation["id"]
    changed = xlsx(COLUMNS, {**row, "proposed_measures/en": "Open two satellite units."})

    preview = await upload(roadmaps, sheet_path(recommendation["roadmap_id"]), changed, zels(tokens), dry_run=True)
    answer = await upload(roadmaps, sheet_path(recommendation["roadmap_id"]), changed, zels(tokens), dry_run=False)

    assert [(r["action"], r["id"]) for r in preview.json()["rows"]] == [("updated", recommendation["id"])]
    assert answer.status_code == 200, answer.text
    current = await read(roadmaps, tokens, f"/recommendations/{recommendation['id']}")
    assert current["version"] == 2
    assert current["proposed_measures"] == "Open two satellite units."
    assert len(await listed(roadmaps, tokens)) == 1
    [revised] = await published(roadmaps, RecommendationRevised.TYPE)
    assert revised.data.changed_fields == ["proposed_measures"]
    again = await upload(roadmaps, sheet_path(recommendation["roadmap_id"]), changed, zels(tokens), dry_run=False)
    assert [r["action"] for r in again.json()["rows"]] == ["unchanged"]


async def test_a_row_whose_recommendation_is_no_longer_a_draft_is_refused_with_its_reason(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)
    await settle(roadmaps, recommendation["id"], RecommendationStatus.ENDORSED)
    await draft(roadmaps, tokens, recommendation["roadmap_id"])
    exported = await roadmaps.http.get(sheet_path(recommendation["roadmap_id"]), headers=zels(tokens))
    content = xlsx(COLUMNS, *records(exported.content))

    answer = await upload(roadmaps, sheet_path(recommendation["roadmap_id"]), content, zels(tokens), dry_run=False)

    assert answer.status_code == 422
    [problem] = answer.json()["problems"]
    assert (problem["row"], problem["column"]) == (2, "id")
    assert "endorsed cannot be revised" in problem["problem"]


async def test_an_association_imports_only_into_its_own_roadmap(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)
    content = xlsx(COLUMNS, GOOD)

    for headers in (tokens.header(Role.LGA, "SKGO"), tokens.header(Role.NALAS, "NALAS")):
        answer = await upload(roadmaps, sheet_path(roadmap["id"]), content, headers, dry_run=True)
        assert answer.status_code == 403, answer.text


async def test_a_file_that_is_not_a_sheet_of_this_layout_is_a_4xx_with_its_reason(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)
    path = sheet_path(roadmap["id"])

    cases = {
        b"title,language\nx,en\n": 415,
        b"PK\x03\x04 truncated zip": 415,
        xlsx(["language", "title/en"], GOOD): 422,
        xlsx([*COLUMNS, "titel/sq"], GOOD): 422,
        b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024): 413,
    }
    for content, status in cases.items():
        answer = await upload(roadmaps, path, content, zels(tokens), dry_run=True)
        assert answer.status_code == status, answer.text
        assert answer.json()["detail"]
    missing = await upload(roadmaps, path, xlsx(["language", "title/en"], GOOD), zels(tokens), dry_run=True)
    assert "target_groups" in missing.json()["detail"]
    no_body = await roadmaps.http.post(path, headers=zels(tokens))
    no_file = await roadmaps.http.post(path, files={"sheet": ("a.xlsx", b"PK")}, headers=zels(tokens))
    assert (no_body.status_code, no_file.status_code) == (415, 422)
    assert "`file`" in no_file.json()["detail"]


async def test_the_template_is_the_header_and_the_codes(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)

    template = await roadmaps.http.get(
        sheet_path(recommendation["roadmap_id"]), params={"blank": "true"}, headers=zels(tokens)
    )

    assert template.status_code == 200
    assert "template.xlsx" in template.headers["content-disposition"]
    assert lines(template.content) == [list(COLUMNS)]
