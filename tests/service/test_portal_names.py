"""Pages name local governments as the reference data does (Kumanovo, not MK-KUMANOVO), and a share says what it
is a share of."""

from contracts.envelope import Role
from tests.service.portal_fakes import MILESTONE, REC, RECOMMENDATION, Portal
from tests.support.progress import deliver_all, story
from tests.support.services import ServiceUnderTest


async def test_a_recommendations_milestones_name_their_local_government(portal: Portal) -> None:
    portal.sign_in_as(Role.NALAS)
    assigned = {**RECOMMENDATION, "local_governments": ["MK-KUMANOVO"]}
    portal.services.answers[("GET", f"/roadmaps/v1/recommendations/{REC}")] = assigned

    page = (await portal.http.get(f"/recommendations/{REC}")).text

    assert "<dd>Kumanovo</dd>" in page
    assert f'<h3 id="milestone-{MILESTONE}">Unit opens</h3>\n  <p>Kumanovo · due' in page
    assert "MK-KUMANOVO" not in page


async def test_the_report_form_names_the_local_government(portal: Portal) -> None:
    portal.sign_in_as(Role.LG)

    page = (await portal.http.get(f"/reporting/{REC}/{MILESTONE}")).text

    assert "<p>Kumanovo · due" in page


async def test_the_dashboards_tables_name_local_governments_and_its_shares_say_of_what(
    portal: Portal, progress: ServiceUnderTest
) -> None:
    await deliver_all(progress, story()[0].events)
    portal.sign_in_as(Role.OBSERVER)

    page = (await portal.http.get("/")).text

    assert '<th scope="row">Kumanovo</th>' in page
    assert '<th scope="row">Strumica</th>' in page
    assert "MK-KUMANOVO" not in page
    assert '<h2 id="programme-heading">Implemented or verified, by programme</h2>' in page


async def test_codes_stand_in_when_the_reference_data_cannot_be_read(portal: Portal) -> None:
    portal.services.refuse("GET", "/roadmaps/v1/reference", 503, "down")
    portal.sign_in_as(Role.NALAS)

    response = await portal.http.get(f"/recommendations/{REC}")

    assert response.status_code == 200
    assert "<p>MK-KUMANOVO · due" in response.text
