"""Demo actions of the working group, loaded through its public API (illustrative data, labelled as such)."""

from itertools import cycle, islice
from typing import Any

import httpx

PREFIX = "/working-group/v1"

TRAINING_CYCLE: dict[str, Any] = {
    "kind": "training_cycle",
    "title": "Training cycle for councils for interethnic relations and national minority councils (demo)",
    "starts_on": "2027-02-01",
    "ends_on": "2027-05-31",
    "place": "Skopje, Novi Sad and Sarajevo",
    "organiser": "NALAS secretariat (demo)",
    "language": "en",
    "topics": ["interethnic relations", "national minorities"],
}
SESSIONS = [
    {"date": "2027-02-14", "region": "Polog (demo)", "target_body": "councils for interethnic relations"},
    {"date": "2027-03-21", "region": "Vojvodina (demo)", "target_body": "national councils of national minorities"},
    {"date": "2027-04-18", "region": "Sarajevo Canton (demo)", "target_body": "councils for interethnic relations"},
]
E_LEARNING_COURSE: dict[str, Any] = {
    "kind": "e_learning_course",
    "title": "Leave no one behind: social mapping for municipalities (demo)",
    "starts_on": "2027-01-10",
    "ends_on": "2027-03-10",
    "online": True,
    "organiser": "NALAS e-academy (demo)",
    "language": "en",
    "topics": ["LNOB social mapping", "women and girls"],
    "enrolments": 48,
    "completions": 31,
}
# (name, SoRi code: its officers read the record, type, role)
ORGANISATIONS = [
    ("Municipality A (demo)", "MK-KUMANOVO", "local_government", "councillor"),
    ("Association B (demo)", "ZELS", "lga", "adviser"),
    ("Ministry C (demo)", None, "central_government", "expert"),
    ("Women's NGO D (demo)", None, "csp_ngo", "coordinator"),
    ("Agency E (demo)", None, "international", "observer"),
]
SEXES = ["female", "female", "male", "other_undisclosed", "female", "male"]
AGE_BANDS = ["18-29", "30-44", "45-64", "30-44", "65+"]


def demo_participants(count: int, *, first_score: int) -> list[dict[str, Any]]:
    """Illustrative participants: organisations, sexes and age bands in rotation, scores that rise."""
    rows = zip(islice(cycle(ORGANISATIONS), count), cycle(SEXES), cycle(AGE_BANDS), strict=False)
    return [
        {
            "organisation": organisation,
            "organisation_code": code,
            "organisation_type": organisation_type,
            "role": role,
            "sex": sex,
            "age_band": age_band,
            "attended": n % 7 != 6,
            "pre_score": first_score + n % 20,
            "post_score": first_score + 15 + n % 20,
        }
        for n, ((organisation, code, organisation_type, role), sex, age_band) in enumerate(rows)
    ]


async def _create(http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    created: dict[str, Any] = (await http.post(f"{PREFIX}{path}", json=body)).raise_for_status().json()
    return created


async def _action_with_participants(http: httpx.AsyncClient, action: dict[str, Any], participants: int) -> str:
    action_id = str((await _create(http, "/actions", action))["id"])
    for participant in demo_participants(participants, first_score=40):
        await _create(http, f"/actions/{action_id}/participants", participant)
    return action_id


async def load_demo(http: httpx.AsyncClient) -> str:
    """Create the demo actions with the client's (nalas) headers; returns a one-line summary."""
    cycle_id = await _action_with_participants(http, TRAINING_CYCLE, participants=18)
    for session in SESSIONS:
        await _create(http, f"/actions/{cycle_id}/sessions", session)
    await _action_with_participants(http, E_LEARNING_COURSE, participants=12)
    return (
        f"demo working-group actions: a training cycle with {len(SESSIONS)} sessions and 18 participants, "
        "an e-learning course with 12 participants"
    )
