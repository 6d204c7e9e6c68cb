"""Recommendations in the states whose pages the browser tests visit, prepared through the services' public APIs
(the journey test does the same by clicking; here it is only the stage the pages are seen on)."""

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from contracts.envelope import Role
from sori_cli.stack.child import RunningStack
from tests.polling import eventually
from tests.support.journey import Person, person, zels_roadmap

WITHIN = 90.0


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

    async def in_implementation(self, title: str) -> tuple[str, str]:
        rec = await self.under_review(title)
        await self.wg.call("POST", f"/working-group/v1/recommendations/{rec}/decision", json={"decision": "endorse"})
        await self.lga.until(f"/roadmaps/v1/recommendations/{rec}", "status", "endorsed", WITHIN)
        due = (datetime.now(UTC).date() + timedelta(days=45)).isoformat()
        milestone = {"title": "Outreach team starts work", "due_date": due, "local_government": "MK-KUMANOVO"}
        plan = {"local_governments": ["MK-KUMANOVO"], "milestones": [milestone]}
        await self.lga.call("POST", f"/roadmaps/v1/recommendations/{rec}/assignment", json=plan)
        return rec, await self.kumanovos_milestone(rec)

    async def kumanovos_milestone(self, rec: str) -> str:
        async def planned() -> list[dict[str, Any]]:
            listed = await self.kumanovo.call("GET", "/social-approaches/v1/milestones")
            return [m for m in listed if m["recommendation_id"] == rec]

        found: str = (await eventually(planned, within=WITHIN))[0]["milestone_id"]
        return found


async def prepare(stack: RunningStack) -> Story:
    lga = person(stack, "roadmaps", Role.LGA, "ZELS")
    cast = Cast(
        lga,
        person(stack, "working_group", Role.NALAS, "NALAS"),
        person(stack, "social_approaches", Role.LG, "MK-KUMANOVO"),
        await zels_roadmap(lga),
    )
    drafted, under_review, (implementing, milestone) = await asyncio.gather(
        cast.draft("Social housing for young people leaving care"),
        cast.under_review("Sign-language interpreting at municipal front desks"),
        cast.in_implementation("Mobile outreach teams in Roma settlements"),
    )
    actions = await cast.wg.call("GET", "/working-group/v1/actions")
    return Story(cast.roadmap, drafted, under_review, implementing, milestone, actions[0]["id"])
