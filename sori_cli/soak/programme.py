"""The rest of a programme's day beside the recommendations: the working group plans, holds and reports actions;
local governments map their vulnerable groups; readers look at the dashboard, the lists and the exports."""

import random
from typing import Any

from contracts.working_group import ActionHeld, ActionReported
from sori_cli.soak.cast import Cast, chance
from sori_cli.soak.journal import Outcome

ACTION_STEPS = (("held", ActionHeld.TYPE), ("reported", ActionReported.TYPE))
READS: tuple[tuple[str, str, dict[str, str | int]], ...] = (
    ("read dashboard", "/progress/v1/dashboard", {}),
    ("read list", "/progress/v1/recommendations", {"limit": 50}),
    ("read list", "/progress/v1/milestones", {"limit": 50}),
    ("read list", "/progress/v1/actions", {"limit": 50}),
    ("read export", "/progress/v1/recommendations", {"format": "csv", "limit": 200}),
    ("read export", "/progress/v1/milestones", {"format": "xlsx", "limit": 200}),
)


async def action_journey(cast: Cast, rng: random.Random, number: int) -> None:
    """Plan an action, then (mostly) mark it held and reported; now and then an unsound plan, refused."""
    wg = cast.wg
    plan: dict[str, Any] = {
        "kind": "e_learning_course",
        "title": f"Soak {cast.run} course {number}",
        "starts_on": "2027-01-10",
        "ends_on": "2027-03-10",
        "online": True,
        "organiser": "NALAS e-academy",
        "language": "en",
        "enrolments": 40,
        "completions": 0,
    }
    if chance(rng, cast.mix.invalid):
        unsound = {**plan, "title": f"{plan['title']} (unsound)", "ends_on": "2026-01-01"}  # ends before it starts
        await wg.send("plan action", "POST", "/working-group/v1/actions", invalid=True, json=unsound)
    command, answer = await wg.send("plan action", "POST", "/working-group/v1/actions", json=plan)
    if command.outcome is not Outcome.DONE:
        return
    action = str(answer["id"])
    cast.journal.add_action(action)
    for step, event in ACTION_STEPS:
        if not cast.driving or chance(rng, 0.3):
            return
        path = f"/working-group/v1/actions/{action}/{step}"
        command, _ = await wg.send(f"action {step}", "POST", path, subject=action, effect=event)
        if command.outcome is not Outcome.DONE:
            return
        if chance(rng, cast.mix.duplicates):  # marking it again is out of order: refused
            await wg.send(f"action {step}", "POST", path, subject=action, effect=event, duplicate=True)


async def mapping_journey(cast: Cast, rng: random.Random, number: int) -> None:
    """A local government starts a social mapping of a topic of its own and completes it; a second mapping of the
    same topic is refused."""
    lg = rng.choice(sorted(cast.lgs))
    officer = cast.lgs[lg]
    topic = f"soak-{cast.run}-{number}"
    mapping = {
        "topic": topic,
        "title": "LNOB mapping: access to social services",
        "groups": [{"group": "roma", "total": 120, "by_sex": {"female": 64, "male": 56}}],
        "data_sources": ["social-welfare register 2024"],
        "findings": [{"text": "Roma women in rural settlements rarely reach the day centre", "groups": ["roma"]}],
        "gaps": [],
    }
    path = "/social-approaches/v1/mappings"
    command, answer = await officer.send("start mapping", "POST", path, json=mapping)
    if command.outcome is not Outcome.DONE:
        return
    subject = str(answer["id"])
    cast.journal.add_mapping(subject, lg, topic)
    if chance(rng, cast.mix.duplicates):
        await officer.send("start mapping", "POST", path, subject=subject, duplicate=True, json=mapping)
    if cast.driving and not chance(rng, 0.2):
        await officer.send("complete mapping", "POST", f"{path}/{subject}/complete", subject=subject)


async def read(cast: Cast, rng: random.Random) -> None:
    kind, path, params = rng.choice(READS)
    await cast.observer.send(kind, "GET", path, params=params)
