"""A milestone that runs late is heard of: with its durations shortened through settings, an overdue milestone
produces one email to the local government that owes it and one escalation to NALAS, through a real SMTP server."""

import email
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler

from contracts.envelope import Role
from contracts.languages import Language
from services.notifications.catalogue import render
from sori_cli.stack.child import RunningStack, running_stack
from sori_cli.stack.embedded import free_port
from tests.polling import eventually
from tests.support.journey import person, zels_roadmap

pytestmark = pytest.mark.integration
INDICATOR = "households reached"


class Inbox(MessageHandler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Message] = []

    def handle_message(self, message: Message) -> None:
        self.messages.append(message)

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def late_stack(smtp: tuple[Inbox, int], tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    _, port = smtp
    shortened = {
        "SMTP_URL": f"smtp://127.0.0.1:{port}",
        "SORI_NOTIFY_POLL_SECONDS": "0.2",
        "SORI_MILESTONE_OVERDUE_DAYS": "0.00002",  # about 2 s after the due day begins
        "SORI_MILESTONE_REMINDER_DAYS": "0",
        "SORI_ESCALATION_DAYS": "0.0001",  # about 9 s after that
    }
    with running_stack(tmp_path_factory.mktemp("late"), None, "--no-demo", extra_env=shortened) as stack:
        yield stack


def subject_prefix(kind: str, language: Language) -> str:
    return render(f"{kind}.subject", language, {}).split("—")[0]


def subjects(messages: list[Message]) -> list[str]:
    return [str(email.header.make_header(email.header.decode_header(m["Subject"]))) for m in messages]


async def test_an_overdue_milestone_mails_the_lg_once_and_escalates_to_nalas_once(
    late_stack: RunningStack, smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, _ = smtp
    nalas = person(late_stack, "notifications", Role.NALAS, "NALAS")
    for who in (
        {
            "sub": "officer@kumanovo",
            "name": "Officer",
            "email": "officer@kumanovo.example",
            "organisation": "MK-KUMANOVO",
            "role": "lg",
            "language": "mk",
            "channel": "email",
            "frequency": "immediate",
        },
        {
            "sub": "secretariat@nalas",
            "name": "Secretariat",
            "email": "secretariat@nalas.example",
            "organisation": "NALAS",
            "role": "nalas",
            "language": "en",
            "channel": "email",
            "frequency": "immediate",
        },
    ):
        await nalas.call("POST", "/notifications/v1/people", json=who)

    lga = person(late_stack, "roadmaps", Role.LGA, "ZELS")
    wg = person(late_stack, "working_group", Role.NALAS, "NALAS")
    roadmap = await zels_roadmap(lga)
    rec = (await lga.call("POST", f"/roadmaps/v1/roadmaps/{roadmap}/recommendations", json={"title": "Late"}))["id"]
    await lga.call("POST", f"/roadmaps/v1/recommendations/{rec}/submit")
    await wg.until(f"/working-group/v1/recommendations/{rec}", "status", "submitted")
    await wg.call("POST", f"/working-group/v1/recommendations/{rec}/review", json={})
    await wg.call("POST", f"/working-group/v1/recommendations/{rec}/decision", json={"decision": "endorse"})
    await lga.until(f"/roadmaps/v1/recommendations/{rec}", "status", "endorsed")
    today = datetime.now(UTC).date().isoformat()
    await lga.call(
        "POST",
        f"/roadmaps/v1/recommendations/{rec}/assignment",
        json={
            "local_governments": ["MK-KUMANOVO"],
            "milestones": [
                {
                    "title": "Outreach starts",
                    "due_date": today,
                    "local_government": "MK-KUMANOVO",
                    "indicators": [INDICATOR],
                }
            ],
        },
    )

    overdue = subject_prefix("milestone_overdue", Language.MACEDONIAN)
    escalated = subject_prefix("milestone_escalated", Language.ENGLISH)

    async def lg_overdue() -> list[str]:
        return [s for s in subjects(inbox.to("officer@kumanovo.example")) if s.startswith(overdue)]

    async def nalas_escalations() -> list[str]:
        return [s for s in subjects(inbox.to("secretariat@nalas.example")) if s.startswith(escalated)]

    assert len(await eventually(lg_overdue, within=90)) == 1
    assert len(await eventually(nalas_escalations, within=90)) == 1
    # Nothing more arrives for the same facts: redelivery and retries send nothing twice.
    await eventually(nalas_escalations, until=lambda found: len(found) == 1, within=5)
    assert len(await lg_overdue()) == 1
    assert not [s for s in subjects(inbox.to("officer@kumanovo.example")) if s.startswith(escalated)]
