"""The envelope every event travels in: what `new_event` fills in, and what the envelope refuses."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from pydantic import ValidationError

from contracts.envelope import Actor, Envelope, Role, new_event
from contracts.languages import Language
from contracts.registry import parse_event
from contracts.roadmaps import RecommendationDrafted, RecommendationSubmitted

pytestmark = pytest.mark.unit

ACTOR = Actor(sub="ana", org="ZELS", role=Role.LGA)
RECOMMENDATION_ID = UUID("11111111-1111-4111-8111-111111111111")


def drafted() -> RecommendationDrafted:
    return RecommendationDrafted(
        recommendation_id=RECOMMENDATION_ID,
        roadmap_id=UUID("22222222-2222-4222-8222-222222222222"),
        association="ZELS",
        code="ZELS-2024-07",
        title="Open a day centre for older people",
        language=Language.MACEDONIAN,
        version=1,
    )


def submitted() -> RecommendationSubmitted:
    return RecommendationSubmitted(recommendation_id=RECOMMENDATION_ID, association="ZELS", version=1)


def test_new_event_fills_id_type_time_and_the_given_fields() -> None:
    before = datetime.now(UTC)
    event = new_event(drafted(), subject=str(RECOMMENDATION_ID), actor=ACTOR, source="roadmaps")
    after = datetime.now(UTC)

    assert isinstance(event.id, UUID)
    assert event.type == RecommendationDrafted.TYPE
    assert before <= event.time <= after
    assert event.time.tzinfo is not None
    assert event.source == "/sori/roadmaps"
    assert event.subject == str(RECOMMENDATION_ID)
    assert event.actor == ACTOR
    assert event.data == drafted()


def test_new_event_gives_each_event_its_own_id() -> None:
    first = new_event(drafted(), subject="s", actor=ACTOR, source="roadmaps")
    second = new_event(drafted(), subject="s", actor=ACTOR, source="roadmaps")

    assert first.id != second.id


def test_new_event_uses_the_given_id_and_time() -> None:
    event_id = uuid4()
    moment = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)

    event = new_event(drafted(), subject="s", actor=ACTOR, source="roadmaps", event_id=event_id, time=moment)

    assert event.id == event_id
    assert event.time == moment


def test_an_event_with_no_cause_correlates_to_itself() -> None:
    event = new_event(drafted(), subject="s", actor=ACTOR, source="roadmaps")

    assert event.correlation_id == event.id
    assert event.causation_id is None


def test_an_event_caused_by_another_inherits_its_correlation_and_names_it_as_cause() -> None:
    origin = new_event(drafted(), subject="s", actor=ACTOR, source="roadmaps")
    cause = new_event(submitted(), subject="s", actor=ACTOR, source="roadmaps", caused_by=origin)

    effect = new_event(submitted(), subject="s", actor=ACTOR, source="lifecycle", caused_by=cause)

    assert effect.correlation_id == origin.id
    assert effect.correlation_id == cause.correlation_id
    assert effect.causation_id == cause.id
    assert effect.id not in (cause.id, origin.id)


def test_envelope_json_round_trips_through_parse_event_to_an_equal_object() -> None:
    origin = new_event(drafted(), subject="s", actor=ACTOR, source="roadmaps")
    event = new_event(drafted(), subject=str(RECOMMENDATION_ID), actor=ACTOR, source="roadmaps", caused_by=origin)

    parsed = parse_event(event.to_json())

    assert parsed == event
    assert isinstance(parsed.data, RecommendationDrafted)
    assert parsed.data == event.data


def test_envelope_without_a_cause_round_trips_with_no_causation_id() -> None:
    event = new_event(submitted(), subject="s", actor=ACTOR, source="roadmaps")

    parsed = parse_event(event.to_json().decode())

    assert parsed == event
    assert parsed.causation_id is None


def envelope_fields(**overrides: Any) -> dict[str, Any]:
    event_id = uuid4()
    fields: dict[str, Any] = {
        "id": event_id,
        "type": RecommendationSubmitted.TYPE,
        "source": "roadmaps",
        "subject": "s",
        "time": datetime(2024, 5, 1, tzinfo=UTC),
        "correlation_id": event_id,
        "actor": ACTOR,
        "data": submitted(),
    }
    fields.update(overrides)
    return fields


def test_envelope_fields_used_below_are_valid_on_their_own() -> None:
    envelope = Envelope.model_validate(envelope_fields())

    assert envelope.type == RecommendationSubmitted.TYPE


def test_envelope_rejects_an_extra_field() -> None:
    with pytest.raises(ValidationError) as refused:
        Envelope.model_validate(envelope_fields(priority="high"))

    assert any(error["loc"] == ("priority",) and error["type"] == "extra_forbidden" for error in refused.value.errors())


@pytest.mark.parametrize(
    "event_type",
    [
        "roadmaps.recommendation.drafted.v1",
        "sori.roadmaps.recommendation.drafted",
        "sori.roadmaps.recommendation.drafted.v",
        "sori.Roadmaps.recommendation.drafted.v1",
        "sori.roadmaps.drafted.v1",
        "",
    ],
)
def test_envelope_rejects_a_type_not_matching_its_pattern(event_type: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Envelope.model_validate(envelope_fields(type=event_type))

    assert any(
        error["loc"] == ("type",) and error["type"] == "string_pattern_mismatch" for error in refused.value.errors()
    )


def test_envelope_rejects_a_naive_time() -> None:
    with pytest.raises(ValidationError) as refused:
        Envelope.model_validate(envelope_fields(time=datetime(2024, 5, 1)))

    assert any(error["loc"] == ("time",) for error in refused.value.errors())


def test_actor_rejects_an_extra_field() -> None:
    with pytest.raises(ValidationError) as refused:
        Actor.model_validate({"sub": "ana", "org": "ZELS", "role": "lga", "admin": True})

    assert any(error["loc"] == ("admin",) for error in refused.value.errors())
