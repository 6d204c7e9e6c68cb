"""The demo programme `sori up` loads through the public APIs (illustrative data, labelled as such)."""

import httpx

DEMO_ROADMAP = {"programme": "SoRi 3 (demo)", "title": "ZELS roadmap on social inclusion (illustrative demo data)"}
DEMO_RECOMMENDATIONS = [
    ("Day-care services for persons with disabilities in rural municipalities", True),
    ("Mobile outreach teams for Roma women and girls", True),
    ("Social-dialogue forums with associations of the elderly", False),
]


async def load_demo(urls: dict[str, str], tokens: dict[str, str]) -> str:
    headers = {"Authorization": f"Bearer {tokens['lga']}"}
    async with httpx.AsyncClient(base_url=urls["roadmaps"], headers=headers, timeout=10.0) as http:
        roadmap = (await http.post("/roadmaps/v1/roadmaps", json=DEMO_ROADMAP)).raise_for_status().json()
        submitted = 0
        for title, submit in DEMO_RECOMMENDATIONS:
            drafted = await http.post(f"/roadmaps/v1/roadmaps/{roadmap['id']}/recommendations", json={"title": title})
            recommendation = drafted.raise_for_status().json()
            if submit:
                (await http.post(f"/roadmaps/v1/recommendations/{recommendation['id']}/submit")).raise_for_status()
                submitted += 1
    return f"demo roadmap of ZELS with {len(DEMO_RECOMMENDATIONS)} recommendations, {submitted} submitted"
