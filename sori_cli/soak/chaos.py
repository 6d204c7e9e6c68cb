"""Faults at seeded random moments: one part killed outright (SIGKILL), two at once, or one paused (SIGSTOP, then
SIGCONT) as a long GC or a frozen VM would; `sori up`'s supervisor brings back what died. Before the next fault
the stack must be ready again."""

import asyncio
import contextlib
import os
import random
import signal
import time
from collections import Counter
from dataclasses import dataclass, field

from sori_cli.soak.parts import not_ready, parts, pid_of
from sori_cli.soak.speaker import waited
from sori_cli.stack.view import StackView

HEAL_WITHIN_SECONDS = 150.0
PAUSE_SECONDS = (2.0, 8.0)


@dataclass
class Chaos:
    stack: StackView
    rng: random.Random
    every_seconds: float  # the mean time between faults
    injected: Counter[str] = field(default_factory=Counter)  # "kill kafka", "pause worker", …
    hit: Counter[str] = field(default_factory=Counter)  # faults per part
    healed_after: list[float] = field(default_factory=list)  # seconds from each fault until all was ready again
    unhealed: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    async def run(self, until: float) -> None:
        while True:
            delay = min(self.rng.expovariate(1 / self.every_seconds), 3 * self.every_seconds)
            if time.monotonic() + delay >= until:
                return
            await asyncio.sleep(delay)
            fault = await self.inject()
            struck = time.monotonic()
            if await waited(self._ready, HEAL_WITHIN_SECONDS):
                self.healed_after.append(time.monotonic() - struck)
                print(f"    ready again {self.healed_after[-1]:.0f}s later", flush=True)
            else:
                self.unhealed.append(f"{fault}: not ready {HEAL_WITHIN_SECONDS:.0f} s later")

    async def _ready(self) -> bool | None:
        return True if not await not_ready(self.stack) else None

    async def inject(self) -> str:
        names = parts(self.stack)
        roll = self.rng.random()
        if roll < 0.6:
            fault = self._kill(self.rng.sample(names, 1))
        elif roll < 0.8:
            fault = self._kill(self.rng.sample(names, 2))
        else:
            fault = await self._pause(self.rng.choice(names), self.rng.uniform(*PAUSE_SECONDS))
        print(f"  ⚡ {time.monotonic() - self.started:6.1f}s  {fault}", flush=True)
        return fault

    def _kill(self, names: list[str]) -> str:
        for name in names:
            self.hit[name] += 1
            pid = pid_of(self.stack, name)
            if pid is not None:  # a part the supervisor is still bringing back cannot die again
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        kind = "kill" if len(names) == 1 else "kill two"
        self.injected[kind] += 1
        return f"{kind}: {' + '.join(names)}"

    async def _pause(self, name: str, seconds: float) -> str:
        self.hit[name] += 1
        pid = pid_of(self.stack, name)
        if pid is not None:
            os.kill(pid, signal.SIGSTOP)
            try:
                await asyncio.sleep(seconds)
            finally:  # however the soak ends, nothing stays frozen
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)
        self.injected["pause"] += 1
        return f"pause: {name} for {seconds:.1f}s"
