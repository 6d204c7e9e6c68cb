"""A recommendation's whole journey, step by step through the public APIs: drafted and revised by ZELS, submitted
(sometimes withdrawn), reviewed and decided by the working group (endorsed, changes requested then resubmitted, or
rejected), assigned to local governments with milestones, reported with evidence and figures, verified. A step
whose answer is not 2xx ends the journey: what happened then is for the reconciliation to judge."""

import random
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from contracts.roadmaps import (
    RecommendationAssigned,
    RecommendationDrafted,
    RecommendationRevised,
    RecommendationSubmitted,
    RecommendationWithdrawn,
)
from contracts.social_approaches import MilestoneReported
from contracts.working_group import (
    ChangesRequested,
    ImplementationVerified,
    RecommendationEndorsed,
    RecommendationRejected,
    ReviewStarted,
)
from sori_cli.soak.cast import Cast, chance
from sori_cli.soak.journal import Outcome
from sori_cli.soak.speaker import Speaker, waited

INDICATOR = "persons reached by the new service"
DECISIONS = {
    "endorse": RecommendationEndorsed.TYPE,
    "request_changes": ChangesRequested.TYPE,
    "reject": RecommendationRejected.TYPE,
}
RM = "/roadmaps/v1"
WG = "/working-group/v1"
SA = "/social-approaches/v1"


class Ended(Exception):
    """The journey cannot go on: a step was not answered 2xx, a service did not hear in time, or the soak is over."""


class Journey:
    def __init__(self, cast: Cast, rng: random.Random, roadmap: str, number: int) -> None:
        self.cast, self.rng, self.roadmap, self.number = cast, rng, roadmap, number
        self.rec = ""

    async def step(self, who: Speaker, kind: str, method: str, path: str, effect: str | None, **body: Any) -> Any:
        """A command that must succeed for the journey to go on; now and then sent twice, as a client that retries."""
        if not self.cast.driving:
            raise Ended
        if self.rec and chance(self.rng, self.cast.mix.invalid):
            await self.invalid()
        command, answer = await who.send(kind, method, path, subject=self.rec or None, effect=effect, **body)
        if command.outcome is not Outcome.DONE:
            raise Ended
        if self.rec and chance(self.rng, self.cast.mix.duplicates):
            await who.send(kind, method, path, subject=self.rec, effect=effect, duplicate=True, **body)
        return answer

    async def invalid(self) -> None:
        """A request that should be refused and leave no trace: a decision no one knows, a verification before the
        implementation is done, a submission of a recommendation no one drafted. (Judged by its answer like any
        other: were one accepted, its effect would have to be there once.)"""
        rec, wg = self.rec, self.cast.wg
        choice = self.rng.randrange(3)
        if choice == 0:
            await wg.send(
                "decide",
                "POST",
                f"{WG}/recommendations/{rec}/decision",
                subject=rec,
                effect=RecommendationEndorsed.TYPE,
                invalid=True,
                json={"decision": "maybe"},
            )
        elif choice == 1:
            await wg.send(
                "verify",
                "POST",
                f"{WG}/recommendations/{rec}/verification",
                subject=rec,
                effect=ImplementationVerified.TYPE,
                invalid=True,
                json={"outcome": "verify"},
            )
        else:
            stranger = str(uuid4())
            self.cast.journal.strangers.append(stranger)
            await self.cast.lga.send(
                "submit",
                "POST",
                f"{RM}/recommendations/{stranger}/submit",
                subject=stranger,
                effect=RecommendationSubmitted.TYPE,
                invalid=True,
            )

    async def heard(self, who: Speaker, path: str, status: str) -> None:
        if not await who.until(path, "status", status, self.cast.wait_seconds):
            raise Ended

    async def run(self) -> None:
        try:
            await self.draft()
            if chance(self.rng, 0.1):
                await self.withdraw()
                return
            decision = await self.submit_and_review()
            if decision == "request_changes":
                await self.heard(self.cast.lga, f"{RM}/recommendations/{self.rec}", "changes_requested")
                await self.revise()
                decision = await self.submit_and_review(only_endorse=True)
            if decision != "endorse":
                return
            await self.implement()
        except Ended:
            return

    async def draft(self) -> None:
        title = f"Soak {self.cast.run} recommendation {self.number}"
        body = {"title": title, "language": "en"}
        command, answer = await self.cast.lga.send(
            "draft",
            "POST",
            f"{RM}/roadmaps/{self.roadmap}/recommendations",
            effect=RecommendationDrafted.TYPE,
            json=body,
        )
        if command.outcome is Outcome.LOST:
            self.cast.journal.lost_drafts.append(title)
        if command.outcome is not Outcome.DONE:
            raise Ended
        self.rec = str(answer["id"])
        self.cast.journal.recommendations.append(self.rec)
        for _ in range(self.rng.randrange(3)):
            await self.revise()

    async def revise(self) -> None:
        measures = f"Measures, take {self.rng.randrange(1000)}."
        await self.step(
            self.cast.lga,
            "revise",
            "POST",
            f"{RM}/recommendations/{self.rec}/versions",
            RecommendationRevised.TYPE,
            json={"proposed_measures": measures},
        )

    async def withdraw(self) -> None:
        reason = {"reason": "Merged into another recommendation."}
        path = f"{RM}/recommendations/{self.rec}/withdraw"
        await self.step(self.cast.lga, "withdraw", "POST", path, RecommendationWithdrawn.TYPE, json=reason)

    async def submit_and_review(self, only_endorse: bool = False) -> str:
        rec, wg = self.rec, self.cast.wg
        await self.step(
            self.cast.lga, "submit", "POST", f"{RM}/recommendations/{rec}/submit", RecommendationSubmitted.TYPE
        )
        await self.heard(wg, f"{WG}/recommendations/{rec}", "submitted")
        await self.step(wg, "review", "POST", f"{WG}/recommendations/{rec}/review", ReviewStarted.TYPE, json={})
        roll = self.rng.random()
        decision = "endorse" if only_endorse or roll < 0.7 else "request_changes" if roll < 0.9 else "reject"
        body: dict[str, Any] = {"decision": decision}
        if decision != "endorse":
            body["comments" if decision == "request_changes" else "reason"] = (
                ["Add the costs."] if decision == "request_changes" else "Outside the programme."
            )
        await self.step(wg, "decide", "POST", f"{WG}/recommendations/{rec}/decision", DECISIONS[decision], json=body)
        return decision

    async def implement(self) -> None:
        rec = self.rec
        await self.heard(self.cast.lga, f"{RM}/recommendations/{rec}", "endorsed")
        lgs = sorted(self.cast.lgs)[: 1 + self.rng.randrange(len(self.cast.lgs))]
        due = (datetime.now(UTC).date() + timedelta(days=60)).isoformat()
        milestones = [
            {"title": f"Service opens in {lg}", "due_date": due, "local_government": lg, "indicators": [INDICATOR]}
            for lg in lgs
        ]
        plan = {"local_governments": lgs, "milestones": milestones}
        path = f"{RM}/recommendations/{rec}/assignment"
        await self.step(self.cast.lga, "assign", "POST", path, RecommendationAssigned.TYPE, json=plan)
        for lg in lgs:
            await self.report(lg)
        await self.heard(self.cast.wg, f"{WG}/recommendations/{rec}", "implemented")
        await self.step(
            self.cast.wg,
            "verify",
            "POST",
            f"{WG}/recommendations/{rec}/verification",
            ImplementationVerified.TYPE,
            json={"outcome": "verify", "note": "Visited."},
        )

    async def report(self, lg: str) -> None:
        officer = self.cast.lgs[lg]
        milestone = await self.planned(officer)
        evidence = await self.step(
            officer,
            "evidence",
            "POST",
            f"{SA}/evidence",
            None,
            json={"url": "https://example.org/opening", "name": "Opening"},
        )
        report = {
            "status": "done",
            "narrative": "The service opened.",
            "indicators": [{"indicator": INDICATOR, "value": 12, "by_sex": {"female": 7, "male": 5}}],
            "evidence_ids": [evidence["evidence_id"]],
        }
        path = f"{SA}/recommendations/{self.rec}/milestones/{milestone}/reports"
        await self.step(officer, "report", "POST", path, MilestoneReported.TYPE, json=report)

    async def planned(self, officer: Speaker) -> str:
        """The milestone's id once the local government's service has heard of the assignment."""

        async def mine() -> str | None:
            listed = await officer.look(f"{SA}/milestones")
            found = [m["milestone_id"] for m in listed or [] if m["recommendation_id"] == self.rec]
            return str(found[0]) if found else None

        milestone = await waited(mine, self.cast.wait_seconds)
        if milestone is None:
            raise Ended
        return milestone
