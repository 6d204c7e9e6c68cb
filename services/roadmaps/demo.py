"""Roadmaps' part of the demo programme, loaded through the public API as ZELS's staff would enter it (illustrative
data, labelled as such)."""

import httpx

API = "/roadmaps/v1"
DEMO_ROADMAP = {"programme": "SoRi 4", "title": "ZELS roadmap on social inclusion (illustrative demo data)"}
# Each title, and whether the association has submitted it to the working group.
DEMO_RECOMMENDATIONS = [
    ("Day-care services for persons with disabilities in rural municipalities", True),
    ("Mobile outreach teams for Roma women and girls", True),
    ("Social-dialogue forums with associations of the elderly", False),
]


async def load_demo(http: httpx.AsyncClient) -> str:
    """`http` speaks for ZELS's staff (an lga token)."""
    roadmap = (await http.post(f"{API}/roadmaps", json=DEMO_ROADMAP)).raise_for_status().json()
    submitted = 0
    for title, submit in DEMO_RECOMMENDATIONS:
        drafted = await http.post(f"{API}/roadmaps/{roadmap['id']}/recommendations", json={"title": title})
        recommendation = drafted.raise_for_status().json()
        if submit:
            (await http.post(f"{API}/recommendations/{recommendation['id']}/submit")).raise_for_status()
            submitted += 1
    return f"a ZELS roadmap with {len(DEMO_RECOMMENDATIONS)} recommendations, {submitted} submitted"
