"""The public pages under /public, walked as nobody (no token, no cookie) by following their links: every page
answers, shows every public recommendation and nothing that is never public, hides every count by sex below five,
speaks each language asked of it, and is cacheable (ETag, Cache-Control, 304)."""

import re
from html.parser import HTMLParser

import pytest

from contracts.roadmaps import RecommendationDrafted
from services.progress.public import rules
from sori.i18n import LANGUAGES
from tests.support.progress import deliver_all
from tests.support.public_data import NALAS, PERSON, seeded
from tests.support.services import ServiceUnderTest

# A count by sex as a page writes it, in English: "Female: 12".
COUNT_BY_SEX = re.compile(r"(?:Female|Male|Other or undisclosed): (&lt;5|withheld|[0-9.,]+)")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.found.append(href.split("#")[0])


def links(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.found


def _page(link: str) -> bool:
    return link.startswith("/public") and not link.startswith("/public/data")


async def walk(progress: ServiceUnderTest, start: str) -> dict[str, str]:
    """Every page reachable from `start` by links under /public, as nobody (the open-data files, which
    test_progress_open_data walks, only as links)."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        answer = await progress.http.get(path)
        assert answer.status_code == 200, f"{path}: {answer.text[:300]}"
        assert "set-cookie" not in answer.headers, path
        seen[path] = answer.text
        queue.extend(link for link in links(answer.text) if _page(link) and link not in seen)
    return seen


async def test_nobody_walking_the_public_pages_finds_every_public_item_and_nothing_that_is_never_public(
    progress: ServiceUnderTest,
) -> None:
    programme = seeded()
    await deliver_all(progress, programme.events)

    pages = await walk(progress, "/public?lang=en")

    assert {p.split("?")[0] for p in pages} >= {
        "/public",
        "/public/economies",
        "/public/local-governments",
        "/public/actions",
        *(f"/public/recommendations/{id}" for id in programme.public),
    }
    assert any(p.startswith("/public/roadmaps/") for p in pages)
    everything = "\n".join(pages.values())
    assert all('href="/public/data/changes.atom"' in text for text in pages.values())
    for never in ("SECRET", PERSON.sub, NALAS.sub, "@"):
        assert never not in everything, f"the public side shows {never!r}"
    for code in programme.public.values():
        assert code in everything, f"{code} is public but on no page"
    counts = [count.strip() for text in pages.values() for count in COUNT_BY_SEX.findall(text)]
    assert counts, "the pages show counts by sex"
    for count in counts:
        assert count in ("&lt;5", "withheld") or float(count.replace(",", "")) >= rules.FEWEST_SHOWN, count
    assert {"&lt;5", "withheld"} <= set(counts), "the seeded counts below five are there, hidden"
    assert "Дневен центар во рурални средини" in everything
    assert "Study visit to Tuzla" in pages["/public/actions?lang=en"]


@pytest.mark.parametrize("language", list(LANGUAGES))
async def test_every_public_page_speaks_the_language_asked_and_keeps_it_in_its_links(
    progress: ServiceUnderTest, language: str
) -> None:
    await deliver_all(progress, seeded().events)

    pages = await walk(progress, f"/public?lang={language}")

    for path, text in pages.items():
        assert f'<html lang="{language}">' in text, path
        assert '<link rel="alternate" type="application/atom+xml" href="/public/data/changes.atom"' in text
        assert all(
            link.endswith(f"?lang={language}")
            for link in links(text)
            if link.startswith("/public/") and "data" not in link
        ), path


async def test_a_public_page_is_cacheable_and_answers_304_to_its_etag(progress: ServiceUnderTest) -> None:
    await deliver_all(progress, seeded().events)

    first = await progress.http.get("/public/actions?lang=mk")

    assert first.headers["cache-control"] == "public, max-age=300"
    assert "Cookie" in first.headers["vary"]
    again = await progress.http.get("/public/actions?lang=mk", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    other = await progress.http.get("/public/actions?lang=sq", headers={"If-None-Match": first.headers["etag"]})
    assert other.status_code == 200, "another language is another version"


async def test_the_language_cookie_chooses_when_the_address_does_not(progress: ServiceUnderTest) -> None:
    progress.http.cookies.set("sori_lang", "mk")

    answer = await progress.http.get("/public")

    assert '<html lang="mk">' in answer.text


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/public?lang=xx", 404),
        ("/public/recommendations/not-a-uuid", 422),
        ("/public/recommendations/00000000-0000-0000-0000-000000000000", 404),
        ("/public/roadmaps/00000000-0000-0000-0000-000000000000", 404),
    ],
)
async def test_a_bad_public_address_is_a_page_with_a_reason(progress: ServiceUnderTest, path: str, status: int) -> None:
    answer = await progress.http.get(path)

    assert answer.status_code == status
    assert '<main id="main"' in answer.text


async def test_no_recommendation_kept_back_has_a_public_page(progress: ServiceUnderTest) -> None:
    programme = seeded()
    await deliver_all(progress, programme.events)
    drafted = {e.data.recommendation_id for e in programme.events if isinstance(e.data, RecommendationDrafted)}

    for kept_back in drafted - set(programme.public):
        answer = await progress.http.get(f"/public/recommendations/{kept_back}")
        assert answer.status_code == 404
        assert "SECRET" not in answer.text


async def test_the_sign_in_page_leads_to_the_public_side(progress: ServiceUnderTest) -> None:
    answer = await progress.http.get("/sign-in")

    assert 'href="/public"' in answer.text
