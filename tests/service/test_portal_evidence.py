"""Evidence given as a link is shown as a link to another site, never followed on the person's behalf: a redirect
from the portal would make any address look like a SoRi page."""

from uuid import uuid4

from contracts.envelope import Role
from tests.service.portal_fakes import Portal

ELSEWHERE = "https://elsewhere.example/opening?photo=1&b=2"


async def test_evidence_given_as_a_link_is_a_page_that_names_the_other_site(portal: Portal) -> None:
    evidence = uuid4()
    portal.services.answers[("GET", f"/social-approaches/v1/evidence/{evidence}")] = {"url": ELSEWHERE}
    portal.sign_in_as(Role.NALAS)
    portal.speak("mk")

    response = await portal.http.get(f"/evidence/{evidence}")

    assert response.status_code == 200
    assert "location" not in response.headers
    assert "Доказ на друга страница" in response.text
    link = 'href="https://elsewhere.example/opening?photo=1&amp;b=2" rel="external noopener noreferrer nofollow"'
    assert link in response.text
