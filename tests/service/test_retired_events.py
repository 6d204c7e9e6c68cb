"""An event of a retired payload version, still on a topic, is applied as its twin of today's version: here a local
government NALAS added, told of in v1 of ReferenceEntryChanged, may write to social approaches as one told of in v2."""

from typing import Any

import pytest

from contracts.envelope import Actor, Role, new_event
from contracts.roadmaps import ReferenceEntryChanged
from tests.support.retired import reference_entry_as_v1
from tests.support.services import ServiceUnderTest
from tests.support.social_approaches import API, LGA, MAPPING, lg
from tests.support.tokens import Tokens

pytestmark = pytest.mark.service

NALAS = Actor(sub="nalas@NALAS", org="NALAS", role=Role.NALAS)


def local_government_added(code: str, *, version: int) -> bytes:
    entry = ReferenceEntryChanged(kind="local-governments", code=code, association=LGA)
    event = new_event(entry, subject=f"local-governments:{code}", actor=NALAS, source="roadmaps")
    return reference_entry_as_v1(event) if version == 1 else event.to_json()


async def writes_after_being_told(sa: ServiceUnderTest, tokens: Tokens, code: str, version: int) -> tuple[int, Any]:
    refused = await sa.http.post(f"{API}/mappings", json=MAPPING, headers=lg(tokens, code))
    await sa.deliver(ReferenceEntryChanged.TOPIC, local_government_added(code, version=version))
    created = await sa.http.post(f"{API}/mappings", json=MAPPING, headers=lg(tokens, code))
    return refused.status_code, (created.status_code, created.json().get("association"))


async def test_a_version_1_reference_event_is_applied_as_its_version_2_twin(
    sa: ServiceUnderTest, tokens: Tokens
) -> None:
    told_in_v1 = await writes_after_being_told(sa, tokens, "MK-OHRID", version=1)
    told_in_v2 = await writes_after_being_told(sa, tokens, "MK-PRILEP", version=2)

    assert told_in_v1 == told_in_v2 == (403, (201, LGA))
