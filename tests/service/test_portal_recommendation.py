"""The recommendation page says what the working group wrote: above the text while it stands, and in the timeline."""

from typing import Any

from contracts.envelope import Role
from sori.i18n import translations
from tests.service.portal_fakes import ANSWERS, NOW, REC, Portal

TIMELINE = f"/progress/v1/recommendations/{REC}/timeline"
ASKED = ["Add a budget line per municipality.", "Name the <script>alert(1)</script> households."]
ESCAPED = "Name the &lt;script&gt;alert(1)&lt;/script&gt; households."


def change(before: str, after: str, cause: str, comments: list[str], by: str = "NALAS") -> dict[str, Any]:
    return {
        "recommendation_id": REC,
        "event_id": f"{len(cause):08d}-0000-4000-8000-000000000000",
        "at": NOW,
        "from_status": before,
        "to_status": after,
        "cause_event_type": f"sori.{cause}.v1",
        "actor_org": by,
        "actor_role": "nalas" if by == "NALAS" else "lga",
        "comments": comments,
    }


REQUESTED = change("under_review", "changes_requested", "working_group.recommendation.changes_requested", ASKED)
RESUBMITTED = change("changes_requested", "submitted", "roadmaps.recommendation.submitted", [], by="ZELS")


def timeline(*changes: dict[str, Any]) -> dict[str, Any]:
    return {**ANSWERS[("GET", TIMELINE)], "changes": list(changes)}


async def test_the_association_and_nalas_read_what_the_working_group_asks_in_their_language(portal: Portal) -> None:
    portal.services.answers[("GET", TIMELINE)] = timeline(REQUESTED)
    for role in (Role.LGA, Role.NALAS, Role.LG, Role.OBSERVER):
        portal.sign_in_as(role)
        portal.speak("mk")
        page = (await portal.http.get(f"/recommendations/{REC}")).text

        heading = translations("mk").gettext("What the working group asks")
        assert f'<h2 id="standing-words">{heading}</h2>' in page, role
        assert page.count(ASKED[0]) == 2  # above the text, and in the timeline's entry
        assert page.count(ESCAPED) == 2
        assert "<script>alert" not in page
        assert heading != "What the working group asks"


async def test_an_answered_request_leaves_the_top_of_the_page_and_stays_in_the_timeline(portal: Portal) -> None:
    portal.services.answers[("GET", TIMELINE)] = timeline(REQUESTED, RESUBMITTED)
    portal.sign_in_as(Role.LGA)

    page = (await portal.http.get(f"/recommendations/{REC}")).text

    assert 'id="standing-words"' not in page
    assert page.count(ASKED[0]) == 1


async def test_the_association_reads_the_request_on_its_desk_where_it_revises(portal: Portal) -> None:
    portal.services.answers[("GET", TIMELINE)] = timeline(REQUESTED)
    portal.sign_in_as(Role.LGA)
    portal.speak("sq")

    page = (await portal.http.get(f"/desk/recommendations/{REC}")).text

    heading = translations("sq").gettext("What the working group asks")
    assert f'<h2 id="standing-words">{heading}</h2>' in page
    assert page.count(ASKED[0]) == 1
    assert page.count(ESCAPED) == 1
