"""People of the programme speaking to the public HTTP APIs with their own tokens, at the soak's steady pace; every
command and its answer (or that the answer was lost) goes into the journal."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

import httpx

from contracts.envelope import Role
from sori.auth import issue_token
from sori_cli.soak.journal import Command, Journal
from sori_cli.stack.up import role_of
from sori_cli.stack.view import StackView

# A paused part (SIGSTOP) holds its requests until it goes on: past this, the answer counts as lost.
T = TypeVar("T")
ANSWER_WITHIN_SECONDS = 10.0
POLL_SECONDS = 0.5


class Pace:
    """One command every 1/rate seconds, whichever journey sends it."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self._next = time.monotonic()
        self._lock = asyncio.Lock()

    async def turn(self) -> None:
        async with self._lock:
            now = time.monotonic()
            wait = self._next - now
            self._next = max(now, self._next) + self.interval
        if wait > 0:
            await asyncio.sleep(wait)


@dataclass
class Speaker:
    """One person (organisation and role) at one service; with replicas, each request goes to the next replica in
    turn, as a load balancer would send it."""

    clients: list[httpx.AsyncClient]
    journal: Journal
    pace: Pace
    _turn: int = field(default=0, init=False)

    @property
    def http(self) -> httpx.AsyncClient:
        self._turn += 1
        return self.clients[self._turn % len(self.clients)]

    async def close(self) -> None:
        for client in self.clients:
            await client.aclose()

    async def send(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        subject: str | None = None,
        effect: str | None = None,
        duplicate: bool = False,
        invalid: bool = False,
        **request: Any,
    ) -> tuple[Command, Any]:
        """The command as recorded, and its JSON answer when it succeeded."""
        await self.pace.turn()
        answer: Any = None
        try:
            response = await self.http.request(method, path, **request)
            status: int | None = response.status_code
            if response.is_success and response.headers.get("content-type", "").startswith("application/json"):
                answer = response.json()
        except httpx.TransportError:  # timeouts included: the request may or may not have happened
            status = None
        command = Command(self.journal.next_number(), kind, method, path, status, subject, effect, duplicate, invalid)
        return self.journal.add(command), answer

    async def look(self, path: str, **params: Any) -> Any:
        """A read the journey needs to go on (not a command of the mix): its JSON, or None while it fails."""
        try:
            response = await self.http.get(path, params=params)
        except httpx.TransportError:
            return None
        return response.json() if response.status_code == 200 else None

    async def until(self, path: str, field: str, wanted: str, within: float) -> bool:
        """Whether `path`'s `field` said `wanted` before the time was up (the service learns it from Kafka)."""

        async def said() -> bool | None:
            body = await self.look(path)
            return True if isinstance(body, dict) and body.get(field) == wanted else None

        return bool(await waited(said, within))


async def waited(probe: Callable[[], Awaitable[T | None]], within: float) -> T | None:
    """What `probe` first gives other than None, polled until the time is up (then None)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        found = await probe()
        if found is not None:
            return found
        await asyncio.sleep(POLL_SECONDS)
    return None


def sub_of(role: Role, org: str) -> str:
    return f"soak-{role.value}@{org}"


def token(stack: StackView, role: Role, org: str) -> str:
    secret = (stack.home / "secret").read_text().strip()
    return issue_token(secret, sub=sub_of(role, org), org=org, role=role, ttl=timedelta(hours=12))


def replicas_of(stack: StackView, service: str) -> list[str]:
    """The parts that serve `service`: its own ("progress") and its further replicas ("progress-2", …)."""
    return [part for part in stack.document["services"] if role_of(part) == service]


def speaker(stack: StackView, service: str, role: Role, org: str, journal: Journal, pace: Pace) -> Speaker:
    headers = {"Authorization": f"Bearer {token(stack, role, org)}"}
    clients = [
        httpx.AsyncClient(base_url=stack.url(part), headers=headers, timeout=ANSWER_WITHIN_SECONDS)
        for part in replicas_of(stack, service)
    ]
    return Speaker(clients, journal, pace)
