"""NALAS decides what the public side shows, item by item: each decision is a PublicationDecided event, and a
decision the rules refuse is a 422 with the reason."""

from uuid import uuid4

import pytest

from contracts.envelope import Role
from contracts.topics import WORKING_GROUP
from contracts.working_group import PublicationDecided, PublicItem, Visibility
from tests.polling import eventually
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens
from tests.support.working_group import PREFIX


@pytest.fixture
def nalas(tokens: Tokens) -> dict[str, str]:
    return tokens.header(Role.NALAS, "NALAS", sub="secretariat@nalas")


async def test_nalas_withholds_an_item_and_undoes_it_and_both_are_events(
    wg: ServiceUnderTest, nalas: dict[str, str]
) -> None:
    item = uuid4()
    path = f"{PREFIX}/publication/recommendation/{item}"

    held = await wg.http.put(path, json={"visibility": "withheld", "reason": "The council votes first."}, headers=nalas)
    undone = await wg.http.put(path, json={"visibility": "as_the_rules_say"}, headers=nalas)

    assert (held.status_code, undone.status_code) == (202, 202)

    async def decided() -> list[PublicationDecided]:
        return [e.data for e in wg.published.events(WORKING_GROUP) if isinstance(e.data, PublicationDecided)]

    first, second = await eventually(decided, until=lambda found: len(found) == 2)
    assert (first.item_kind, first.item_id, first.visibility, first.reason) == (
        PublicItem.RECOMMENDATION,
        item,
        Visibility.WITHHELD,
        "The council votes first.",
    )
    assert (second.visibility, second.reason) == (Visibility.AS_THE_RULES_SAY, "")


@pytest.mark.parametrize(
    ("kind", "body", "reason"),
    [
        ("recommendation", {"visibility": "withheld"}, "a reason is required"),
        ("action", {"visibility": "published", "reason": "why not"}, "only a recommendation can be published"),
        ("evidence", {"visibility": "withheld", "reason": "r"}, "recommendation"),
    ],
)
async def test_a_decision_the_rules_refuse_says_why(
    wg: ServiceUnderTest, nalas: dict[str, str], kind: str, body: dict[str, str], reason: str
) -> None:
    answer = await wg.http.put(f"{PREFIX}/publication/{kind}/{uuid4()}", json=body, headers=nalas)

    assert answer.status_code == 422
    assert reason in answer.text


async def test_only_nalas_decides(wg: ServiceUnderTest, tokens: Tokens) -> None:
    answer = await wg.http.put(
        f"{PREFIX}/publication/action/{uuid4()}",
        json={"visibility": "withheld", "reason": "r"},
        headers=tokens.header(Role.LGA, "ZELS"),
    )

    assert answer.status_code == 403
    assert "only the NALAS working group" in answer.text
