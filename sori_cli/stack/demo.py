"""The demo programme `sori up` loads through the public APIs (illustrative data, labelled as such)."""

from datetime import timedelta

import httpx

from contracts.envelope import Role
from services.notifications import demo as notifications_demo
from services.roadmaps import demo as roadmaps_demo
from services.social_approaches import demo as social_approaches_demo
from services.working_group import demo as working_group_demo
from sori.auth import issue_token
from sori.settings import Settings


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def load_demo(settings: Settings, urls: dict[str, str], tokens: dict[str, str]) -> list[str]:
    """Each service's demo, through its public API, as the people who would enter it."""

    def lg_headers(code: str) -> dict[str, str]:
        token = issue_token(settings.signing_secret, sub=f"demo-{code}", org=code, role=Role.LG, ttl=timedelta(hours=1))
        return _bearer(token)

    async with httpx.AsyncClient(base_url=urls["roadmaps"], headers=_bearer(tokens["lga"]), timeout=10.0) as roadmaps:
        summaries = [await roadmaps_demo.load_demo(roadmaps)]
    async with httpx.AsyncClient(base_url=urls["working_group"], headers=_bearer(tokens["nalas"]), timeout=30.0) as wg:
        summaries.append(await working_group_demo.load_demo(wg))
    async with httpx.AsyncClient(base_url=urls["social_approaches"], timeout=30.0) as sa:
        summaries.append(await social_approaches_demo.load_demo(sa, lg_headers))
    async with httpx.AsyncClient(base_url=urls["notifications"], headers=_bearer(tokens["nalas"]), timeout=10.0) as no:
        summaries.append(await notifications_demo.load_demo(no))
    return summaries
