"""Who speaks in the soak: ZELS's staff, the working group, two of ZELS's local governments and an observer."""

import random
import time
from dataclasses import dataclass, field
from uuid import uuid4

from contracts.envelope import Role
from sori_cli.soak.journal import Journal
from sori_cli.soak.speaker import Pace, Speaker, speaker
from sori_cli.stack.view import StackView

LOCAL_GOVERNMENTS = ("MK-KUMANOVO", "MK-STRUMICA")


@dataclass
class Mix:
    """How often a journey's step is followed by a duplicate of itself, or preceded by an invalid request."""

    duplicates: float = 0.08
    invalid: float = 0.06


@dataclass
class Cast:
    lga: Speaker
    wg: Speaker
    lgs: dict[str, Speaker]
    observer: Speaker
    secretariat: Speaker  # NALAS at notifications: registers who hears of what
    journal: Journal
    until: float  # monotonic time at which journeys stop taking new steps
    mix: Mix = field(default_factory=Mix)
    wait_seconds: float = 90.0  # how long a journey waits for a service to hear what it needs to go on
    run: str = field(default_factory=lambda: uuid4().hex[:8])  # marks this soak's titles

    @property
    def driving(self) -> bool:
        return time.monotonic() < self.until

    async def close(self) -> None:
        for who in (self.lga, self.wg, *self.lgs.values(), self.observer, self.secretariat):
            await who.close()


def cast_of(stack: StackView, journal: Journal, pace: Pace, until: float) -> Cast:
    def who(service: str, role: Role, org: str) -> Speaker:
        return speaker(stack, service, role, org, journal, pace)

    return Cast(
        lga=who("roadmaps", Role.LGA, "ZELS"),
        wg=who("working_group", Role.NALAS, "NALAS"),
        lgs={lg: who("social_approaches", Role.LG, lg) for lg in LOCAL_GOVERNMENTS},
        observer=who("progress", Role.OBSERVER, "OBSERVER"),
        secretariat=who("notifications", Role.NALAS, "NALAS"),
        journal=journal,
        until=until,
    )


def chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p
