"""Demo actions of the working group, loaded through its public API (illustrative data, labelled as such)."""

from datetime import UTC, date, datetime, timedelta
from itertools import cycle, islice
from typing import Any

import httpx

PREFIX = "/working-group/v1"


def training_cycle(today: date) -> dict[str, Any]:
    """A cycle that ended a month before the demo is loaded: its participants' attendance is a fact by then."""
    return {
        "kind": "training_cycle",
        "title": "Training cycle for councils for interethnic relations and national minority councils (demo)",
        "starts_on": (today - timedelta(days=150)).isoformat(),
        "ends_on": (today - timedelta(days=30)).isoformat(),
        "place": "Skopje, Novi Sad and Sarajevo",
        "organiser": "NALAS secretariat (demo)",
        "language": "en",
        "topics": ["interethnic relations", "national minorities"],
    }


def sessions(today: date) -> list[dict[str, Any]]:
    return [
        {"date": (today - timedelta(days=days)).isoformat(), "region": region, "target_body": body}
        for days, region, body in (
            (140, "Polog (demo)", "councils for interethnic relations"),
            (100, "Vojvodina (demo)", "national councils of national minorities"),
            (40, "Sarajevo Canton (demo)", "councils for interethnic relations"),
        )
    ]


def e_learning_course(today: date) -> dict[str, Any]:
    return {
        "kind": "e_learning_course",
        "title": "Leave no one behind: social mapping for municipalities (demo)",
        "starts_on": (today - timedelta(days=90)).isoformat(),
        "ends_on": (today - timedelta(days=10)).isoformat(),
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


async def _held(http: httpx.AsyncClient, action_id: str) -> None:
    """Held: its participant counts go out to progress, whose dashboard and reports count them from then on."""
    (await http.post(f"{PREFIX}/actions/{action_id}/held")).raise_for_status()


async def load_demo(http: httpx.AsyncClient) -> str:
    """Create the demo actions, both past and held, with the client's (nalas) headers; returns a one-line summary."""
    today = datetime.now(UTC).date()
    cycle_id = await _action_with_participants(http, training_cycle(today), participants=18)
    cycle_sessions = sessions(today)
    for session in cycle_sessions:
        await _create(http, f"/actions/{cycle_id}/sessions", session)
    course_id = await _action_with_participants(http, e_learning_course(today), participants=12)
    for action_id in (cycle_id, course_id):
        await _held(http, action_id)
    return (
        f"demo working-group actions: a training cycle with {len(cycle_sessions)} sessions and 18 participants, "
        "an e-learning course with 12 participants, both held"
    )
