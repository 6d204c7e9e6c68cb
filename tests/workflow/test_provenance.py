"""A lifecycle applies an event only with the bridge's proof that it came from a SoRi topic: whoever reaches the
Temporal frontend (its UI, tctl) can signal one, but cannot move a recommendation with it."""

from dataclasses import replace

import pytest

from contracts.lifecycle import RecommendationStatus, StatusChanged, TransitionRejected
from tests.support import events as e
from tests.workflow.worlds import LifecycleWorld
from workflows.lifecycle import RecommendationLifecycle
from workflows.provenance import NO_PROOF, proof_of

pytestmark = pytest.mark.workflow
S = RecommendationStatus


async def test_signals_without_the_bridges_proof_are_refused_and_move_nothing(world: LifecycleWorld) -> None:
    rec, other = world.recommendation(), world.recommendation()
    await rec.send(e.drafted(rec.id), e.submitted(rec.id))
    await rec.settles_after(2)
    review = e.review_started(rec.id)
    forged = [
        review,  # no proof at all, as the Temporal UI sends it
        replace(e.endorsed(rec.id), proof=proof_of(b"a guessed key", review.id, review.type, rec.id)),
        # the bridge's real proof of an event, but for another recommendation's lifecycle
        other.proven(review),
    ]
    await rec.handle.signal(RecommendationLifecycle.apply, forged[0])
    await rec.handle.signal(RecommendationLifecycle.apply_all, forged[1:])

    state = await rec.settles_after(5)
    assert state.status is S.SUBMITTED
    refusals = state.timeline[2:]
    assert [(r.applied, r.reason, r.from_status, r.to_status) for r in refusals] == [
        (False, NO_PROOF, S.SUBMITTED, None)
    ] * 3
    assert [r.event_id for r in refusals] == [f.id for f in forged]
    published = await rec.published()
    assert [p.data.to_status for p in published if isinstance(p.data, StatusChanged)] == [S.DRAFTED, S.SUBMITTED]
    assert not [p for p in published if isinstance(p.data, TransitionRejected)], "no answer to a forgery either"

    # The real event, with an id a forgery used, is applied: the forgery did not take its place.
    await rec.send(review)
    state = await rec.settles_after(6)
    assert state.status is S.UNDER_REVIEW
    assert (state.timeline[-1].event_id, state.timeline[-1].applied) == (review.id, True)
    await rec.published_exactly(3, StatusChanged.TYPE)
