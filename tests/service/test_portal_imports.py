"""The portal's Excel import, on the real roadmaps service: download the template, upload a sheet, read the preview
(what will change, problems by row and column), confirm; the form is CSRF-protected and works without script. The
same for an action's attendance sheet on the real working-group service."""

import re

import httpx

from contracts.envelope import Role
from services.roadmaps.sheet import COLUMNS
from services.working_group.api.participant_sheets import COLUMNS as PARTICIPANT_COLUMNS
from sori.settings import Settings
from tests.service.portal_fakes import FakeServices, Portal, post_form
from tests.support.roadmaps import create_roadmap, read
from tests.support.services import ServiceUnderTest
from tests.support.sheets import lines, xlsx
from tests.support.tokens import Tokens
from tests.support.working_group import TRAINING_CYCLE, nalas, plan

ROW = {"language": "en", "title/en": "Day-care centres in rural areas", "topics": "social_services"}


def portal_on(
    progress: ServiceUnderTest, service: ServiceUnderTest, settings: Settings, role: Role = Role.LGA, org: str = "ZELS"
) -> Portal:
    """The portal with its calls answered by one real service."""
    progress.app.state.portal_transport = httpx.ASGITransport(app=service.app)
    portal = Portal(progress.http, FakeServices(), settings)
    portal.sign_in_as(role, org)
    return portal


def sheet_file(content: bytes) -> dict[str, tuple[str, bytes, str]]:
    return {"sheet": ("roadmap.xlsx", content, "application/octet-stream")}


async def test_an_association_previews_its_sheet_then_confirms_and_its_drafts_are_made(
    progress: ServiceUnderTest, roadmaps: ServiceUnderTest, settings: Settings, tokens: Tokens
) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)
    portal = portal_on(progress, roadmaps, settings)
    base = f"/imports/roadmap/{roadmap['id']}"

    page = await portal.http.get(base)
    template = await portal.http.get(f"{base}/template.xlsx")
    preview = await post_form(portal, base, {}, files=sheet_file(xlsx(COLUMNS, ROW, {**ROW, "title/en": "Outreach"})))

    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    assert lines(template.content) == [list(COLUMNS)]
    assert preview.status_code == 200, preview.text
    assert "New: 2" in preview.text
    assert "Outreach" in preview.text
    assert await read(roadmaps, tokens, "/recommendations?association=ZELS") == {"items": [], "next_cursor": None}
    sheet = re.search(r'name="sheet" value="([^"]+)"', preview.text)
    assert sheet is not None

    confirmed = await post_form(portal, f"{base}/confirm", {"sheet": sheet[1]})

    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == f"{base}?imported=2"
    listed = await read(roadmaps, tokens, "/recommendations?association=ZELS")
    assert sorted(r["title"] for r in listed["items"]) == ["Day-care centres in rural areas", "Outreach"]
    done = await portal.http.get(confirmed.headers["location"])
    assert "Imported: 2 rows written." in done.text


async def test_the_preview_names_each_problem_by_row_and_column_in_the_persons_language_and_offers_no_import(
    progress: ServiceUnderTest, roadmaps: ServiceUnderTest, settings: Settings, tokens: Tokens
) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)
    portal = portal_on(progress, roadmaps, settings)
    portal.speak("mk")
    content = xlsx(COLUMNS, ROW, {**ROW, "title/en": None, "topics": "nonsense"})

    preview = await post_form(portal, f"/imports/roadmap/{roadmap['id']}", {}, files=sheet_file(content))

    assert preview.status_code == 200
    problems = re.findall(r"<tr><td>(\d+)</td><td><code>([^<]+)</code></td>", preview.text)
    assert sorted(problems) == [("3", "title/en"), ("3", "topics")]
    assert 'name="sheet" value' not in preview.text  # nothing to confirm
    assert 'lang="mk"' in preview.text


async def test_a_file_that_is_not_xlsx_is_refused_beside_the_form_and_a_form_without_its_token_is_a_403(
    progress: ServiceUnderTest, roadmaps: ServiceUnderTest, settings: Settings, tokens: Tokens
) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)
    portal = portal_on(progress, roadmaps, settings)
    base = f"/imports/roadmap/{roadmap['id']}"

    refused = await post_form(portal, base, {}, files=sheet_file(b"title\nnot a workbook\n"))
    forged = await portal.http.post(base, files=sheet_file(xlsx(COLUMNS, ROW)))
    someone_elses = portal_on(progress, roadmaps, settings)
    someone_elses.sign_in_as(Role.LGA, "SKGO")
    foreign = await someone_elses.http.get(base)

    assert refused.status_code == 415
    assert "This type of file is not accepted." in refused.text
    assert 'id="upload-error"' in refused.text
    assert forged.status_code == 403
    assert foreign.status_code == 403


async def test_nalas_imports_an_attendance_sheet_after_its_preview(
    progress: ServiceUnderTest, wg: ServiceUnderTest, settings: Settings, tokens: Tokens
) -> None:
    action_id = await plan(wg, nalas(tokens), TRAINING_CYCLE)
    portal = portal_on(progress, wg, settings, Role.NALAS, "NALAS")
    base = f"/imports/attendance/{action_id}"
    person = {"organisation": "Municipality of Tetovo", "organisation_type": "local_government", "age_band": "30-44"}
    content = xlsx(PARTICIPANT_COLUMNS, {**person, "sex": "female"}, {**person, "sex": "male", "attended": "no"})

    template = await portal.http.get(f"{base}/template.xlsx")
    preview = await post_form(portal, base, {}, files=sheet_file(content))
    sheet = re.search(r'name="sheet" value="([^"]+)"', preview.text)
    assert sheet is not None
    confirmed = await post_form(portal, f"{base}/confirm", {"sheet": sheet[1]})

    assert lines(template.content) == [list(PARTICIPANT_COLUMNS)]
    assert "New: 2" in preview.text
    assert confirmed.status_code == 303
    registered = await wg.http.get(f"/working-group/v1/actions/{action_id}/participants", headers=nalas(tokens))
    assert sorted((p["sex"], p["attended"]) for p in registered.json()) == [("female", True), ("male", False)]
