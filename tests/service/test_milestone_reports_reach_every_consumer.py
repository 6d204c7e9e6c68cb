"""What the social-approaches service accepts, every consumer applies: an LG reports a milestone five ways, as a
newcomer did, and every report answered 201 reaches the lifecycle and progress, so a `done` one with evidence
makes the recommendation implemented. (Reports with 1e309, NaN or Infinity were answered 201, then dead-lettered:
the lifecycle stayed in_implementation and progress counted 1 report of the 5 accepted.)"""

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from httpx import Response

from contracts.envelope import Envelope, EventPayload, Role, new_event
from contracts.lifecycle import RecommendationStatus, TransitionRejected
from contracts.registry import InvalidEvent
from contracts.roadmaps import PlannedMilestone
from contracts.topics import LIFECYCLE, SOCIAL_APPROACHES
from sori.batches import parse_body
from tests.polling import eventually
from tests.support import events as e
from tests.support.services import ServiceUnderTest
from tests.support.social_approaches import LG, WORKFLOW, evidence, lg, reports_path
from tests.support.tokens import Tokens
from workflows.machine import LifecycleMachine
from workflows.messages import DomainEvent, LifecycleClocks, LifecycleState
from workflows.transitions import LIFECYCLE_EVENT_TYPES

INDICATOR = "people attending weekly"
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def in_implementation(milestone: PlannedMilestone) -> tuple[LifecycleMachine, list[EventPayload]]:
    """A lifecycle drafted, reviewed, endorsed and assigned, with what it published on the way."""
    rec = uuid4()
    machine = LifecycleMachine(LifecycleState(recommendation_id=rec), LifecycleClocks())
    history = (e.drafted(rec), e.submitted(rec), e.review_started(rec), e.endorsed(rec), e.assigned(rec, [milestone]))
    return machine, [out for event in history for out in machine.apply(event, NOW)]


def report_body(status: str, figure: str, evidence_id: str | None = None) -> str:
    evidence_ids = f'["{evidence_id}"]' if evidence_id else "[]"
    indicator = f'{{"indicator": "{INDICATOR}", "value": {figure}}}'
    return f'{{"status": "{status}", "indicators": [{indicator}], "evidence_ids": {evidence_ids}}}'


async def send(sa: ServiceUnderTest, tokens: Tokens, path: str, body: str) -> Response:
    return await sa.http.post(path, content=body, headers={**lg(tokens), "content-type": "application/json"})


def lifecycle_applies(machine: LifecycleMachine, envelope: Envelope) -> list[str]:
    """What the bridge and the workflow make of an event: the refusals it causes, if any."""
    if envelope.type not in LIFECYCLE_EVENT_TYPES:
        return []
    outputs = machine.apply(DomainEvent.from_envelope(envelope), NOW)
    return [out.reason for out in outputs if isinstance(out, TransitionRejected)]


async def test_every_report_answered_201_reaches_the_lifecycle_and_progress(
    sa: ServiceUnderTest, progress: ServiceUnderTest, tokens: Tokens
) -> None:
    milestone = PlannedMilestone(
        milestone_id=uuid4(),
        title="Unit opens",
        due_date=date(2027, 6, 30),
        local_government=LG,
        indicators=[INDICATOR],
    )
    machine, published = in_implementation(milestone)
    rec = machine.state.recommendation_id
    for payload in published:
        await sa.deliver(LIFECYCLE, new_event(payload, subject=str(rec), actor=WORKFLOW, source="lifecycle").to_json())
    evidence_id = await evidence(sa, tokens)
    path = reports_path(rec, milestone.milestone_id)

    answers = [
        await send(sa, tokens, path, body)
        for body in (
            report_body("on_track", "3"),
            report_body("at_risk", "NaN"),
            report_body("on_track", "1e309"),
            report_body("on_track", "Infinity"),
            report_body("done", "NaN", evidence_id),
            report_body("done", "12", evidence_id),
        )
    ]

    accepted = [answer.json()["id"] for answer in answers if answer.status_code == 201]
    raw = await eventually(lambda: _reported(sa), until=lambda bodies: len(bodies) >= len(accepted), within=10)
    dead_letters: list[str] = []
    refusals: list[str] = []
    for body in raw:
        try:
            envelope = parse_body(body)
        except InvalidEvent as exc:
            dead_letters.append(str(exc))
            continue
        refusals += lifecycle_applies(machine, envelope)
        await progress.deliver(SOCIAL_APPROACHES, body)
    assert dead_letters == []
    assert refusals == []
    [lifecycle_milestone] = machine.state.milestones
    assert sorted(str(r.report_id) for r in lifecycle_milestone.reports) == sorted(accepted)
    assert machine.state.status is RecommendationStatus.IMPLEMENTED
    assert await _progress_reports(progress, tokens, milestone.milestone_id) == len(accepted)


async def _reported(sa: ServiceUnderTest) -> list[bytes]:
    return list(sa.published.raw.get(SOCIAL_APPROACHES, []))


async def _progress_reports(progress: ServiceUnderTest, tokens: Tokens, milestone_id: UUID) -> int:
    response = await progress.http.get("/progress/v1/milestones", headers=tokens.header(Role.OBSERVER, "UNDP"))
    assert response.status_code == 200, response.text
    reports: int = next(row["reports"] for row in response.json()["items"] if row["milestone_id"] == str(milestone_id))
    return reports
