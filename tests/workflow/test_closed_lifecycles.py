"""A closed lifecycle stays closed after Temporal has forgotten its run (retention: 24 h on the embedded Temporal):
its events delivered again (a refill after a broker restart, a reset of the bridge's offsets, a replay) start no new
run, which would move a final recommendation back to `drafted` everywhere and send its notices again."""

from datetime import timedelta

import pytest
from prometheus_client import REGISTRY

from contracts.lifecycle import RecommendationStatus
from contracts.registry import envelope_from_dict
from sori.batches import Delivery
from sori.settings import Settings
from tests.support import events as e
from tests.support.retention import delete_run, forgotten_by_temporal
from tests.workflow.worlds import LifecycleWorld, Recommendation
from workflows.bridge import LifecycleBridge
from workflows.messages import DomainEvent
from workflows.tables import closed_among

pytestmark = pytest.mark.workflow
S = RecommendationStatus
GRACE = timedelta(seconds=1)
DROPPED = "sori_closed_lifecycle_events_total"


def from_topic(event: DomainEvent, rec: Recommendation) -> Delivery:
    """The event as the bridge reads it from its topic."""
    document = {
        "id": str(event.id),
        "type": event.type,
        "source": "roadmaps",
        "subject": str(rec.id),
        "time": event.time.isoformat(),
        "correlation_id": str(event.correlation_id),
        "actor": event.actor.model_dump(mode="json"),
        "data": event.data,
    }
    envelope = envelope_from_dict(document)
    return Delivery(envelope, envelope.data.TOPIC, None)


def dropped_so_far() -> float:
    return REGISTRY.get_sample_value(DROPPED) or 0.0


async def test_redelivered_events_of_a_closed_lifecycle_start_no_new_run(
    dev_world: LifecycleWorld, settings: Settings
) -> None:
    world = dev_world
    short_grace = {"temporal_task_queue": world.task_queue, "final_grace_days": GRACE / timedelta(days=1)}
    bridge = LifecycleBridge(settings.model_copy(update=short_grace), world.db)
    bridge.client = world.client
    rec = world.recommendation()
    story = [from_topic(event, rec) for event in (e.drafted(rec.id), e.submitted(rec.id), e.withdrawn(rec.id))]

    await bridge.forward(story)
    final = await rec.handle.result()
    assert final.status is S.WITHDRAWN
    async with world.db.reading() as session:
        assert await closed_among(session, [rec.id]) == {rec.id}, "the end is recorded outside Temporal"
    published = await rec.published_exactly(3)
    await delete_run(world.client, rec.id)

    dropped_before = dropped_so_far()
    await bridge.forward(story)  # the topics delivered again, as a refill does

    assert await forgotten_by_temporal(world.client, rec.id), "no new run began"
    assert dropped_so_far() - dropped_before == len(story)
    assert await rec.published() == published, "nothing new was published"
