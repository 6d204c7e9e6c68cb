"""Topic names: one per producer, each with a dead-letter twin. A payload names its topic (EventPayload.TOPIC)."""

from collections.abc import Iterable

from contracts.envelope import EventPayload

ROADMAPS = "sori.roadmaps.v1"
WORKING_GROUP = "sori.working-group.v1"
SOCIAL_APPROACHES = "sori.social-approaches.v1"
LIFECYCLE = "sori.lifecycle.v1"

PRODUCER_TOPICS: tuple[str, ...] = (ROADMAPS, WORKING_GROUP, SOCIAL_APPROACHES, LIFECYCLE)
DLQ_SUFFIX = ".dlq"


def dlq(topic: str) -> str:
    return topic + DLQ_SUFFIX


def all_topics() -> tuple[str, ...]:
    return PRODUCER_TOPICS + tuple(dlq(t) for t in PRODUCER_TOPICS)


def topics_of(payloads: Iterable[type[EventPayload]]) -> tuple[str, ...]:
    """The topics these payloads are published on: where a consumer of them listens."""
    return tuple(sorted({payload.TOPIC for payload in payloads}))
