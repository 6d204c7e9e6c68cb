"""The dashboard, the report and the Actions page count the programme's participants the same way: those of the
actions that have been held, as the working group counted them then."""

import re
from typing import Any

from contracts.envelope import Role
from tests.polling import eventually
from tests.service.portal_fakes import Portal
from tests.support.progress import deliver_all, order, story
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens


def card_figures(page: str) -> tuple[str, str]:
    found = re.search(r"Participants: <strong>(\d+)</strong>.*?Attended: <strong>(\d+)</strong>", page, re.DOTALL)
    assert found, page
    return found.group(1), found.group(2)


async def test_the_actions_page_counts_participants_as_the_dashboard_and_the_report_do(
    portal: Portal, progress: ServiceUnderTest, tokens: Tokens
) -> None:
    await deliver_all(progress, story()[0].events)  # a training cycle held with 5 participants, 4 attended
    registered = {"participants": 30, "attended": 27, "participants_by_sex": {}}  # including actions still to come
    portal.services.answers[("GET", "/working-group/v1/participants/aggregates")] = registered
    nalas = tokens.header(Role.NALAS, "NALAS")

    async def dashboard() -> Any:
        return (await portal.http.get("/progress/v1/dashboard", headers=nalas)).json()

    board = await eventually(dashboard, until=lambda b: b["participants"]["participants"] > 0)
    portal.sign_in_as(Role.NALAS)
    actions_page = (await portal.http.get("/actions")).text
    report = await order(progress, tokens)
    report_page = (await portal.http.get(report["html_url"], headers=nalas)).text

    counted = (board["participants"]["participants"], board["participants"]["attended"])
    assert counted == (5, 4)
    assert card_figures(actions_page) == ("5", "4")
    assert "<dt>Participants in actions</dt><dd>5</dd>" in report_page
    assert '<tr><th scope="row">Female</th><td>3</td></tr>' in actions_page
