"""Illustrative demo data, loaded through the public API: each local government's mapping and social approaches."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

API = "/social-approaches/v1"
DEMO = "(illustrative demo data)"


@dataclass(frozen=True)
class DemoLocalGovernment:
    code: str
    topic: str
    group: str
    people: int
    approach_type: str
    approach: str
    women_and_girls: bool = False


LOCAL_GOVERNMENTS = (
    DemoLocalGovernment(
        "MK-KUMANOVO",
        "access-to-social-services",
        "roma",
        120,
        "mobile_outreach_team",
        "Mobile outreach to Roma women and girls in rural settlements",
        women_and_girls=True,
    ),
    DemoLocalGovernment(
        "MK-STRUMICA", "long-term-care", "elderly", 80, "day_care_centre", "Day-care centre for elderly people"
    ),
    DemoLocalGovernment(
        "AL-ELBASAN",
        "disability-inclusion",
        "persons_with_disabilities",
        60,
        "day_care_centre",
        "Day-care centre for children with disabilities",
    ),
    DemoLocalGovernment(
        "AL-SHKODER",
        "gender-based-violence",
        "women_and_girls",
        150,
        "rights_awareness_campaign",
        "Rights-awareness campaign against gender-based violence",
        women_and_girls=True,
    ),
    DemoLocalGovernment(
        "XK-GJILAN", "youth-employment", "youth", 200, "social_dialogue_forum", "Youth social-dialogue forum"
    ),
    DemoLocalGovernment(
        "XK-PEJE",
        "disaster-resilience",
        "rural_residents",
        300,
        "inclusive_disaster_risk_plan",
        "Inclusive disaster-risk plan for rural villages",
    ),
    DemoLocalGovernment(
        "BA-TUZLA",
        "poverty-reduction",
        "economically_disadvantaged",
        250,
        "mobile_outreach_team",
        "Outreach to families receiving social assistance",
    ),
    DemoLocalGovernment(
        "BA-ZENICA", "access-to-social-services", "single_parents", 90, "other", "Counselling desk for single parents"
    ),
    DemoLocalGovernment(
        "BA-BIJELJINA",
        "minority-inclusion",
        "ethnic_minorities",
        110,
        "social_dialogue_forum",
        "Forum of national-minority councils",
    ),
    DemoLocalGovernment(
        "BA-PRIJEDOR", "long-term-care", "elderly", 70, "mobile_outreach_team", "Home visits to elderly people"
    ),
)


def _count(group: str, people: int) -> dict[str, Any]:
    women = people // 2 + people % 2
    children = people // 4
    return {
        "group": group,
        "total": people,
        "by_sex": {"female": women, "male": people - women},
        "by_age_band": {"0-17": children, "18-64": people - 2 * children, "65+": children},
    }


def _mapping(lg: DemoLocalGovernment) -> dict[str, Any]:
    return {
        "topic": lg.topic,
        "title": f"LNOB social mapping: {lg.topic.replace('-', ' ')} {DEMO}",
        "groups": [_count(lg.group, lg.people)],
        "data_sources": ["municipal social-welfare register", "focus groups with service users"],
        "findings": [{"text": f"Few {lg.group.replace('_', ' ')} reach the services they are entitled to {DEMO}"}],
        "gaps": ["figures are not disaggregated by disability"],
    }


def _approach(lg: DemoLocalGovernment, mapping_id: str) -> dict[str, Any]:
    return {
        "approach_type": lg.approach_type,
        "title": f"{lg.approach} {DEMO}",
        "description": f"An illustrative social approach for {lg.group.replace('_', ' ')} {DEMO}",
        "women_and_girls": lg.women_and_girls,
        "mapping_id": mapping_id,
        "beneficiaries_planned": [_count(lg.group, lg.people)],
    }


async def _post(http: httpx.AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    response = await http.post(f"{API}{path}", json=body, headers=headers)
    response.raise_for_status()
    created: dict[str, Any] = response.json()
    return created


async def _already_loaded(http: httpx.AsyncClient, lg: DemoLocalGovernment, headers: dict[str, str]) -> bool:
    params = {"local_government": lg.code, "topic": lg.topic}
    response = await http.get(f"{API}/mappings", params=params, headers=headers)
    response.raise_for_status()
    return bool(response.json())


async def _load_one(http: httpx.AsyncClient, lg: DemoLocalGovernment, headers: dict[str, str]) -> None:
    mapping = await _post(http, "/mappings", _mapping(lg), headers)
    await _post(http, f"/mappings/{mapping['id']}/complete", {}, headers)
    approach = await _post(http, "/approaches", _approach(lg, mapping["id"]), headers)
    if lg.women_and_girls:
        await _post(http, f"/approaches/{approach['id']}/status", {"status": "in_progress"}, headers)


async def load_demo(http: httpx.AsyncClient, lg_headers: Callable[[str], dict[str, str]]) -> str:
    """Loads what is missing (a second run adds nothing) and says in one line what the demo holds."""
    loaded = 0
    for lg in LOCAL_GOVERNMENTS:
        headers = lg_headers(lg.code)
        if not await _already_loaded(http, lg, headers):
            await _load_one(http, lg, headers)
            loaded += 1
    marked = sum(lg.women_and_girls for lg in LOCAL_GOVERNMENTS)
    return (
        f"demo social approaches {DEMO}: {len(LOCAL_GOVERNMENTS)} local governments with a completed mapping and "
        f"an approach each, {marked} with the women-and-girls marker ({loaded} loaded now)"
    )
