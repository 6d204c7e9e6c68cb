"""The demo programme `sori up` loads through the public APIs (illustrative data, labelled as such)."""

from datetime import timedelta

import httpx

from contracts.envelope import Role
from services.notifications import demo as notifications_demo
from services.social_approaches import demo as social_approaches_demo
from services.working_group import demo as working_group_demo
from sori.auth import issue_token
from sori.settings import Settings

DEMO_ROADMAP = {"programme": "SoRi 4", "title": "ZELS roadmap on social inclusion (illustrative demo data)"}
DEMO_RECOMMENDATIONS = [
    ("Day-care services for persons with disabilities in rural municipalities", True),
    ("Mobile outreach teams for Roma women and girls", True),
    ("Social-dialogue forums with associations of the elderly", False),
]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _load_roadmap(url: str, lga_token: str) -> str:
    async with httpx.AsyncClient(base_url=url, headers=_bearer(lga_token), timeout=10.0) as http:
        roadmap = (await http.post("/roadmaps/v1/roadmaps", json=DEMO_ROADMAP)).raise_for_status().json()
        submitted = 0
        for title, submit in DEMO_RECOMMENDATIONS:
            drafted = await http.post(f"/roadmaps/v1/roadmaps/{roadmap['id']}/recommendations", json={"title": title})
            recommendation = drafted.raise_for_status().json()
            if submit:
                (await http.post(f"/roadmaps/v1/recommendations/{recommendation['id']}/submit")).raise_for_status()
                submitted += 1
    return f"a ZELS roadmap with {len(DEMO_RECOMMENDATIONS)} recommendations, {submitted} submitted"


async def load_demo(settings: Settings, urls: dict[str, str], tokens: dict[str, str]) -> list[str]:
    """Each service's demo, through its public API, as the people who would enter it."""

    def lg_headers(code: str) -> dict[str, str]:
        token = issue_token(settings.signing_secret, sub=f"demo-{code}", org=code, role=Role.LG, ttl=timedelta(hours=1))
        return _bearer(token)

    summaries = [await _load_roadmap(urls["roadmaps"], tokens["lga"])]
    async with httpx.AsyncClient(base_url=urls["working_group"], headers=_bearer(tokens["nalas"]), timeout=30.0) as wg:
        summaries.append(await working_group_demo.load_demo(wg))
    async with httpx.AsyncClient(base_url=urls["social_approaches"], timeout=30.0) as sa:
        summaries.append(await social_approaches_demo.load_demo(sa, lg_headers))
    async with httpx.AsyncClient(base_url=urls["notifications"], headers=_bearer(tokens["nalas"]), timeout=10.0) as no:
        summaries.append(await notifications_demo.load_demo(no))
    return summaries
