"""Demo people of notifications, registered through its public API (illustrative data, labelled as such): the
people of the demo tokens, so that their notices land in the maildir and their in-portal inbox."""

import httpx

PREFIX = "/notifications/v1"

# (sub, name, email, organisation, role, language): the subjects of the demo tokens `sori up` prints.
DEMO_PEOPLE = [
    ("demo-nalas", "NALAS secretariat (demo)", "secretariat@nalas.invalid", "NALAS", "nalas", "en"),
    ("demo-lga", "ZELS roadmap desk (demo)", "roadmaps@zels.invalid", "ZELS", "lga", "mk"),
    ("demo-lg", "Kumanovo social-services officer (demo)", "officer@kumanovo.invalid", "MK-KUMANOVO", "lg", "mk"),
]


async def load_demo(http: httpx.AsyncClient) -> str:
    """Register the demo people with the client's (nalas) headers; returns a one-line summary."""
    for sub, name, address, organisation, role, language in DEMO_PEOPLE:
        person = {
            "sub": sub,
            "name": name,
            "email": address,
            "organisation": organisation,
            "role": role,
            "language": language,
            "channel": "email",
            "frequency": "immediate",
        }
        (await http.post(f"{PREFIX}/people", json=person)).raise_for_status()
    return f"{len(DEMO_PEOPLE)} demo people to be notified (mail kept under SORI_HOME/mail without SMTP_URL)"
