"""NALAS imports an action's attendance sheet: a dry run names every problem by row and column, sex, organisation
type and age band checked against the reference codes; the import registers every participant or none."""

from contracts.envelope import Role
from services.working_group.api.participant_sheets import COLUMNS
from tests.support.services import ServiceUnderTest
from tests.support.sheets import lines, upload, xlsx
from tests.support.tokens import Tokens
from tests.support.working_group import PREFIX, TRAINING_CYCLE, nalas, plan

PERSON = {
    "organisation": "Municipality of Tetovo",
    "organisation_code": "MK-TETOVO",
    "organisation_type": "local_government",
    "role": "councillor",
    "sex": "Female",
    "age_band": "30-44",
    "attended": "yes",
    "pre_score": 40,
    "post_score": 75.5,
}


def sheet_path(action_id: str) -> str:
    return f"{PREFIX}/actions/{action_id}/participants/sheet"


async def participants(wg: ServiceUnderTest, tokens: Tokens, action_id: str) -> list[dict[str, object]]:
    found = await wg.http.get(f"{PREFIX}/actions/{action_id}/participants", headers=nalas(tokens))
    assert found.status_code == 200
    listed: list[dict[str, object]] = found.json()
    return listed


async def test_a_dry_run_names_each_wrong_code_by_row_and_column_and_registers_no_one(
    wg: ServiceUnderTest, tokens: Tokens
) -> None:
    action_id = await plan(wg, nalas(tokens), TRAINING_CYCLE)
    content = xlsx(
        COLUMNS,
        PERSON,
        {**PERSON, "sex": "unknown", "organisation_type": "ngo"},
        {**PERSON, "pre_score": 140, "attended": "maybe", "organisation": None},
    )

    answer = await upload(wg, sheet_path(action_id), content, nalas(tokens), dry_run=True)

    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert [(r["row"], r["action"]) for r in report["rows"]] == [(2, "new")]
    assert sorted((p["row"], p["column"]) for p in report["problems"]) == [
        (3, "organisation_type"),
        (3, "sex"),
        (4, "attended"),
        (4, "organisation"),
        (4, "pre_score"),
    ]
    assert "'female', 'male' or 'other_undisclosed'" in next(
        p["problem"] for p in report["problems"] if p["column"] == "sex"
    )
    assert await participants(wg, tokens, action_id) == []


async def test_one_bad_row_registers_no_one_and_a_good_sheet_registers_everyone(
    wg: ServiceUnderTest, tokens: Tokens
) -> None:
    action_id = await plan(wg, nalas(tokens), TRAINING_CYCLE)
    bad = xlsx(COLUMNS, PERSON, PERSON, {**PERSON, "age_band": "40-50"})

    refused = await upload(wg, sheet_path(action_id), bad, nalas(tokens), dry_run=False)
    assert refused.status_code == 422
    assert [(p["row"], p["column"]) for p in refused.json()["problems"]] == [(4, "age_band")]
    assert await participants(wg, tokens, action_id) == []

    good = xlsx(COLUMNS, PERSON, {**PERSON, "sex": "male", "attended": None, "pre_score": None})
    answer = await upload(wg, sheet_path(action_id), good, nalas(tokens), dry_run=False)

    assert answer.status_code == 200, answer.text
    registered = await participants(wg, tokens, action_id)
    assert sorted((p["sex"], p["attended"], p["pre_score"]) for p in registered) == [
        ("female", True, 40),
        ("male", True, None),
    ]
    assert {str(p["id"]) for p in registered} == {r["id"] for r in answer.json()["rows"]}


async def test_only_nalas_imports_and_not_into_a_reported_action(wg: ServiceUnderTest, tokens: Tokens) -> None:
    action_id = await plan(wg, nalas(tokens), TRAINING_CYCLE)
    content = xlsx(COLUMNS, PERSON)

    other = await upload(wg, sheet_path(action_id), content, tokens.header(Role.LGA, "ZELS"), dry_run=True)
    for step in ("held", "reported"):
        await wg.http.post(f"{PREFIX}/actions/{action_id}/{step}", headers=nalas(tokens))
    reported = await upload(wg, sheet_path(action_id), content, nalas(tokens), dry_run=True)

    assert other.status_code == 403
    assert reported.status_code == 409
    assert "reported" in reported.json()["detail"]


async def test_the_template_has_the_columns_and_a_sheet_without_the_required_ones_is_a_422(
    wg: ServiceUnderTest, tokens: Tokens
) -> None:
    action_id = await plan(wg, nalas(tokens), TRAINING_CYCLE)

    template = await wg.http.get(sheet_path(action_id), headers=nalas(tokens))
    missing = await upload(
        wg, sheet_path(action_id), xlsx(["organisation", "sex"], PERSON), nalas(tokens), dry_run=True
    )

    assert lines(template.content) == [list(COLUMNS)]
    assert missing.status_code == 422
    assert "organisation_type, age_band" in missing.json()["detail"]
