"""Topic names: one per producer, each with a dead-letter twin."""

ROADMAPS = "sori.roadmaps.v1"
WORKING_GROUP = "sori.working-group.v1"
SOCIAL_APPROACHES = "sori.social-approaches.v1"
LIFECYCLE = "sori.lifecycle.v1"

PRODUCER_TOPICS: tuple[str, ...] = (ROADMAPS, WORKING_GROUP, SOCIAL_APPROACHES, LIFECYCLE)
DLQ_SUFFIX = ".dlq"

_TOPIC_BY_TYPE_PREFIX = {
    "sori.roadmaps.": ROADMAPS,
    "sori.working_group.": WORKING_GROUP,
    "sori.social_approaches.": SOCIAL_APPROACHES,
    "sori.lifecycle.": LIFECYCLE,
}


def dlq(topic: str) -> str:
    return topic + DLQ_SUFFIX


def all_topics() -> tuple[str, ...]:
    return PRODUCER_TOPICS + tuple(dlq(t) for t in PRODUCER_TOPICS)


def topic_for(event_type: str) -> str:
    """The topic an event type is published on, derived from its producer prefix."""
    for prefix, topic in _TOPIC_BY_TYPE_PREFIX.items():
        if event_type.startswith(prefix):
            return topic
    raise ValueError(f"no topic for event type {event_type!r}")
