"""Recommendations in the states whose pages the browser tests visit, prepared through the services' public APIs
(the journey test does the same by clicking; here it is only the stage the pages are seen on)."""

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from contracts.envelope import Role
from sori_cli.stack.child import RunningStack
from tests.polling import eventually
from tests.support.journey import Person, person, zels_roadmap

WITHIN = 90.0
T = TypeVar("T")


@dataclass(frozen=True)
class Story:
    roadmap: str
    drafted: str  # the drafting desk shows its revise and submit forms
    under_review: str  # the working group's decision form
    in_implementation: str  # assigned to Kumanovo: the reporting form
    milestone: str  # Kumanovo's milestone of it
    action: str


@dataclass
class Cast:
    lga: Person
    wg: Person
    kumanovo: Person
    roadmap: str

    async def draft(self, title: str) -> str:
        path = f"/roadmaps/v1/roadmaps/{self.roadmap}/recommendations"
        found: str = (await self.lga.call("POST", path, json={"title": title, "language": "en"}))["id"]
        return found

    async def under_review(self, title: str) -> str:
        rec = await self.draft(title)
        await self.lga.call("POST", f"/roadmaps/v1/recommendations/{rec}/submit")
        await self.wg.until(f"/working-group/v1/recommendations/{rec}", "status", "submitted", WITHIN)
        await self.wg.call("POST", f"/working-group/v1/recommendations/{rec}/review", json={})
        await self.lga.until(f"/roadmaps/v1/recommendations/{rec}", "status", "under_review", WITHIN)
        return rec

    async def in_implementation(self, title: str, milestones: tuple[str, ...]) -> tuple[str, dict[str, str]]:
        """A recommendation assigned to Kumanovo with these milestones, and each milestone's id by its title."""
        rec = await self.under_review(title)
        await self.wg.call("POST", f"/working-group/v1/recommendations/{rec}/decision", json={"decision": "endorse"})
        await self.lga.until(f"/roadmaps/v1/recommendations/{rec}", "status", "endorsed", WITHIN)
        due = (datetime.now(UTC).date() + timedelta(days=45)).isoformat()
        planned = [{"title": t, "due_date": due, "local_government": "MK-KUMANOVO"} for t in milestones]
        plan = {"local_governments": ["MK-KUMANOVO"], "milestones": planned}
        await self.lga.call("POST", f"/roadmaps/v1/recommendations/{rec}/assignment", json=plan)
        return rec, await self.kumanovos_milestones(rec, len(milestones))

    async def kumanovos_milestones(self, rec: str, count: int) -> dict[str, str]:
        async def planned() -> list[dict[str, Any]]:
            listed = await self.kumanovo.call("GET", "/social-approaches/v1/milestones")
            return [m for m in listed if m["recommendation_id"] == rec]

        found = await eventually(planned, until=lambda listed: len(listed) == count, within=WITHIN)
        return {m["title"]: m["milestone_id"] for m in found}


def cast_of(stack: RunningStack, lga: Person, roadmap: str) -> Cast:
    return Cast(
        lga,
        person(stack, "working_group", Role.NALAS, "NALAS"),
        person(stack, "social_approaches", Role.LG, "MK-KUMANOVO"),
        roadmap,
    )


def aside(work: Coroutine[Any, Any, T]) -> T:
    """A coroutine run to its end on a thread of its own: Playwright's sync API keeps its own event loop running on
    the test's thread."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, work).result()


async def prepare(stack: RunningStack) -> Story:
    lga = person(stack, "roadmaps", Role.LGA, "ZELS")
    cast = cast_of(stack, lga, await zels_roadmap(lga))
    drafted, under_review, (implementing, milestones) = await asyncio.gather(
        cast.draft("Social housing for young people leaving care"),
        cast.under_review("Sign-language interpreting at municipal front desks"),
        cast.in_implementation("Mobile outreach teams in Roma settlements", ("Outreach team starts work",)),
    )
    actions = await cast.wg.call("GET", "/working-group/v1/actions")
    return Story(
        cast.roadmap, drafted, under_review, implementing, milestones["Outreach team starts work"], actions[0]["id"]
    )
