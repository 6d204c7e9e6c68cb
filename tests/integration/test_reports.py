"""On a real stack, the worker has set up the report Schedule; when it fires, the progress service keeps the
period's report, and a local government downloads its PDF showing where the roadmap stands."""

from typing import Any

import pytest
from temporalio.client import ScheduleDescription, ScheduleHandle

from contracts.envelope import Role
from sori.settings import Settings
from sori.temporal import connect_temporal
from sori_cli.stack.child import RunningStack
from tests.polling import eventually
from tests.support.journey import Person, person, zels_roadmap
from tests.support.pdf_text import pdf_text
from workflows.report_schedule import SCHEDULE_ID

pytestmark = pytest.mark.integration


async def a_submitted_recommendation(stack: RunningStack) -> None:
    lga = person(stack, "roadmaps", Role.LGA, "ZELS")
    roadmap = await zels_roadmap(lga)
    body = {"title": "Mobile outreach teams for Roma women and girls", "language": "en"}
    drafted = await lga.call("POST", f"/roadmaps/v1/roadmaps/{roadmap}/recommendations", json=body)
    await lga.call("POST", f"/roadmaps/v1/recommendations/{drafted['id']}/submit")
    observer = person(stack, "progress", Role.OBSERVER, "OBSERVER")
    await observer.until(f"/progress/v1/recommendations/{drafted['id']}", "status", "submitted")


async def the_schedule(stack: RunningStack) -> ScheduleHandle:
    client = await connect_temporal(Settings(TEMPORAL_ADDRESS=stack.document["temporal_address"]))
    handle = client.get_schedule_handle(SCHEDULE_ID)

    async def described() -> ScheduleDescription | None:
        try:
            return await handle.describe()
        except Exception:  # not made yet: the worker makes it once it has connected
            return None

    await eventually(described, until=lambda found: found is not None, within=60)
    return handle


async def scheduled_reports(reader: Person) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = await reader.call("GET", "/progress/v1/reports")
    return [report for report in listed if report["trigger"] == "scheduled"]


async def test_the_schedule_fires_and_the_pdf_report_is_downloadable(shared_stack: RunningStack) -> None:
    await a_submitted_recommendation(shared_stack)
    # Other modules' recommendations are on this stack too: the report's total is the dashboard's at the time.
    observer = person(shared_stack, "progress", Role.OBSERVER, "OBSERVER")
    total = (await observer.call("GET", "/progress/v1/dashboard"))["totals"]["total"]
    handle = await the_schedule(shared_stack)
    [calendar] = (await handle.describe()).schedule.spec.calendars
    assert (calendar.day_of_month[0].start, calendar.hour[0].start) == (1, 6), "monthly, the 1st at 06:00, by default"
    await handle.trigger()
    lg = person(shared_stack, "progress", Role.LG, "MK-KUMANOVO")
    [report] = await eventually(lambda: scheduled_reports(lg), until=lambda found: len(found) == 1, within=60)
    [fired] = (await handle.describe()).info.recent_actions
    assert report["period_end"].startswith(fired.scheduled_at.strftime("%Y-%m-%dT%H:%M:%S"))
    pdf = await lg.http.get(report["pdf_url"])
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "SoRi regional progress report" in text
    assert f"Recommendations\n{total}\n" in text
