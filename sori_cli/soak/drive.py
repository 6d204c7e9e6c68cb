"""The steady workload: journeys of every kind, started by a few drivers in turn, at the pace the soak sets."""

import asyncio
import random

from contracts.envelope import Role
from sori_cli.soak.cast import Cast
from sori_cli.soak.journal import Outcome
from sori_cli.soak.programme import action_journey, mapping_journey, read
from sori_cli.soak.recommendations import RM, Journey
from sori_cli.soak.speaker import sub_of

ASSOCIATION = sub_of(Role.LGA, "ZELS")

# What a driver does next, by weight: like a programme's week, mostly recommendations moving on.
WEIGHTS = {"recommendation": 6, "action": 1.5, "mapping": 1, "read": 1.5}


async def zels_roadmap(cast: Cast) -> str:
    """ZELS's roadmap for SoRi 4 (one per association and programme), made on first use."""
    listed = await cast.lga.look(f"{RM}/roadmaps", association="ZELS")
    if listed:
        return str(listed[0]["id"])
    command, answer = await cast.lga.send(
        "create roadmap", "POST", f"{RM}/roadmaps", json={"programme": "SoRi 4", "title": "ZELS roadmap"}
    )
    if answer is None:
        raise RuntimeError(f"no roadmap to draft in: {command}")
    return str(answer["id"])


async def register_association(cast: Cast) -> None:
    """ZELS's staff hear of their recommendations in the portal: each status change they are told of is one notice."""
    person = {
        "sub": ASSOCIATION,
        "name": "ZELS staff",
        "email": "staff@zels.example",
        "organisation": "ZELS",
        "role": "lga",
        "channel": "portal",
    }
    command, _ = await cast.secretariat.send("register person", "POST", "/notifications/v1/people", json=person)
    if command.outcome is not Outcome.DONE:
        raise RuntimeError(f"the association's staff could not be registered: {command}")


class Drivers:
    def __init__(self, cast: Cast, seed: int, count: int) -> None:
        self.cast, self.seed, self.count = cast, seed, count
        self._numbers = iter(range(1, 10**9))

    async def run(self) -> None:
        roadmap = await zels_roadmap(self.cast)
        await register_association(self.cast)
        await asyncio.gather(*(self._driver(roadmap, n) for n in range(self.count)))

    async def _driver(self, roadmap: str, n: int) -> None:
        rng = random.Random(f"{self.seed}-driver-{n}")  # each driver's choices replay with the seed
        kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
        while self.cast.driving:
            kind = rng.choices(kinds, weights)[0]
            number = next(self._numbers)
            if kind == "recommendation":
                await Journey(self.cast, rng, roadmap, number).run()
            elif kind == "action":
                await action_journey(self.cast, rng, number)
            elif kind == "mapping":
                await mapping_journey(self.cast, rng, number)
            else:
                await read(self.cast, rng)
