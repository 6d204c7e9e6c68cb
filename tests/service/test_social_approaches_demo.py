"""The demo gives every local government of the programme a completed mapping and an approach, through the API."""

from contracts.envelope import Role
from services.social_approaches.demo import load_demo
from tests.support.services import ServiceUnderTest
from tests.support.social_approaches import API
from tests.support.tokens import Tokens

PROGRAMME = [
    "MK-KUMANOVO",
    "MK-STRUMICA",
    "AL-ELBASAN",
    "AL-SHKODER",
    "XK-GJILAN",
    "XK-PEJE",
    "BA-TUZLA",
    "BA-ZENICA",
    "BA-BIJELJINA",
    "BA-PRIJEDOR",
]


async def test_demo_maps_every_local_government_and_marks_two_approaches_for_women_and_girls(
    sa: ServiceUnderTest, tokens: Tokens
) -> None:
    summary = await load_demo(sa.http, lambda code: tokens.header(Role.LG, code))

    nalas = tokens.header(Role.NALAS, "NALAS")
    mappings = (await sa.http.get(f"{API}/mappings", headers=nalas)).json()
    approaches = (await sa.http.get(f"{API}/approaches/summary", headers=nalas)).json()
    assert sorted(m["local_government"] for m in mappings) == sorted(PROGRAMME)
    assert {m["status"] for m in mappings} == {"completed"}
    assert all("illustrative demo data" in m["title"] for m in mappings)
    assert approaches["total"] == 10
    assert approaches["women_and_girls"] == 2
    assert "\n" not in summary
    assert "10 local governments" in summary


async def test_loading_the_demo_twice_adds_nothing(sa: ServiceUnderTest, tokens: Tokens) -> None:
    await load_demo(sa.http, lambda code: tokens.header(Role.LG, code))

    summary = await load_demo(sa.http, lambda code: tokens.header(Role.LG, code))

    approaches = (await sa.http.get(f"{API}/approaches", headers=tokens.header(Role.OBSERVER, "UNDP"))).json()
    assert len(approaches) == 10
    assert "(0 loaded now)" in summary
