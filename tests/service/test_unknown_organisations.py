"""A token for an organisation the reference data does not know writes nothing: a roadmap of `NOSUCH` would show in
every list, a mapping of `NOSUCH` would have no association to answer to."""

from typing import Any

from contracts.envelope import Role
from tests.support.roadmaps import ROADMAP
from tests.support.services import ServiceUnderTest
from tests.support.social_approaches import API, APPROACH, MAPPING
from tests.support.tokens import Tokens

NOSUCH = "NOSUCH"


def refusal(response: Any) -> str:
    assert response.status_code == 403, response.text
    detail: str = response.json()["detail"]
    return detail


async def test_an_association_the_reference_data_does_not_know_creates_no_roadmap(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    response = await roadmaps.http.post("/roadmaps/v1/roadmaps", json=ROADMAP, headers=tokens.header(Role.LGA, NOSUCH))

    assert NOSUCH in refusal(response)
    assert "reference data" in refusal(response)
    listed = await roadmaps.http.get("/roadmaps/v1/roadmaps", headers=tokens.header(Role.OBSERVER, "UNDP"))
    assert listed.json() == []


async def test_a_local_government_the_reference_data_does_not_know_writes_nothing(
    sa: ServiceUnderTest, tokens: Tokens
) -> None:
    nosuch = tokens.header(Role.LG, NOSUCH)

    mapping = await sa.http.post(f"{API}/mappings", json=MAPPING, headers=nosuch)
    approach = await sa.http.post(f"{API}/approaches", json=APPROACH, headers=nosuch)
    evidence = await sa.http.post(
        f"{API}/evidence", json={"url": "https://example.org/report.pdf", "name": "Report"}, headers=nosuch
    )

    for response in (mapping, approach, evidence):
        assert NOSUCH in refusal(response)
    nalas = tokens.header(Role.NALAS, "NALAS")
    assert (await sa.http.get(f"{API}/mappings", headers=nalas)).json() == []
    assert (await sa.http.get(f"{API}/approaches", headers=nalas)).json() == []
