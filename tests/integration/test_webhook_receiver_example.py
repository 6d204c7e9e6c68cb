"""The README's webhook receiver (examples/webhook_receiver.py), run as it is, gets a delivery from the real stack
that it verifies with the Standard Webhooks library, and refuses a tampered body and a replayed old delivery."""

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.envelope import Role
from contracts.lifecycle import StatusChanged
from services.notifications.signatures import signed_headers
from sori_cli.stack.child import RunningStack
from tests.polling import eventually
from tests.support.journey import person, submit_a_recommendation
from tests.support.notifications import free_port

pytestmark = pytest.mark.integration

EXAMPLE = Path(__file__).parents[2] / "examples" / "webhook_receiver.py"
WEBHOOKS = "/notifications/v1/webhooks"


@dataclass
class ExampleReceiver:
    """The example in a process of its own on 127.0.0.1, and what it printed (an event a line)."""

    port: int
    printed: Path
    process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    async def start(self, secret: str) -> None:
        env = dict(os.environ, SORI_WEBHOOK_SECRET=secret, PORT=str(self.port))
        with self.printed.open("wb") as out:
            self.process = await asyncio.create_subprocess_exec(sys.executable, str(EXAMPLE), env=env, stdout=out)
        await eventually(self.answers)

    async def answers(self) -> bool:
        try:
            async with httpx.AsyncClient() as http:
                await http.get(self.url)
        except httpx.TransportError:
            return False
        return True

    async def events(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.printed.read_text().splitlines()]


@pytest.fixture
async def example_receiver(tmp_path: Path) -> AsyncIterator[ExampleReceiver]:
    receiver = ExampleReceiver(free_port(), tmp_path / "printed.jsonl")
    yield receiver
    if receiver.process:
        receiver.process.terminate()
        await asyncio.wait_for(receiver.process.wait(), timeout=30)


async def test_the_example_receiver_verifies_a_delivery_from_the_stack_and_refuses_forgeries(
    shared_stack: RunningStack, example_receiver: ExampleReceiver
) -> None:
    nalas = person(shared_stack, "notifications", Role.NALAS, "NALAS")
    subscription = {"url": example_receiver.url, "event_types": [StatusChanged.TYPE], "organisation": "ZELS"}
    hook = await nalas.call("POST", WEBHOOKS, json=subscription)
    await example_receiver.start(hook["secret"])  # shown once, in the subscription's answer

    recommendation = await submit_a_recommendation(shared_stack)  # ZELS's: its lifecycle's status changes go out

    def mine(events: list[dict[str, Any]]) -> list[dict[str, Any]]:  # the shared stack may tell of other tests' too
        return [e for e in events if e["type"] == StatusChanged.TYPE and e["subject"] == recommendation["id"]]

    event = mine(await eventually(example_receiver.events, until=lambda events: bool(mine(events)), within=60))[0]

    async def logged() -> dict[str, Any]:  # the answer is logged once the sender has it
        log = await nalas.call("GET", f"{WEBHOOKS}/{hook['id']}/deliveries")
        return next(d for d in log if d["event_id"] == event["id"])

    delivery = await eventually(logged, until=lambda d: d["status"] == "delivered")
    assert delivery["last_status_code"] == 204

    body = json.dumps({"type": StatusChanged.TYPE, "subject": recommendation["id"]}).encode()
    forgeries = [
        (body.replace(b"status_changed", b"deleted"), signed_headers(hook["secret"], "msg-1", body)),
        (body, signed_headers(hook["secret"], "msg-2", body, datetime.now(UTC) - timedelta(minutes=6))),
    ]
    async with httpx.AsyncClient() as http:
        answers = [(await http.post(example_receiver.url, content=b, headers=h)) for b, h in forgeries]
    assert [(a.status_code, a.text) for a in answers] == [
        (400, "No matching signature found"),
        (400, "Message timestamp too old"),
    ]
    assert (await nalas.http.delete(f"{WEBHOOKS}/{hook['id']}")).status_code == 204  # the shared stack goes on
