"""Every portal page, in each of the portal's languages, as the person whose page it is: it speaks the chosen
language, has nothing for axe to find, and is photographed; the dashboard, the review queue, the reporting form, the
developers' page and the Excel imports also on a phone (360 px wide) without sideways scrolling, and with every status
badge on one line. The public pages, as someone who never signs in, in each language chosen with their own picker:
axe-clean, no console errors, and on a phone not scrolling sideways."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

from contracts.envelope import Role
from services.roadmaps.sheet import COLUMNS
from sori.i18n import LANGUAGES as PORTAL_LANGUAGES
from sori.sheets import XLSX_MEDIA_TYPE
from sori_cli.stack.child import RunningStack
from tests.browser.people import PHONE, Person, Portal
from tests.browser.story import Story, aside, prepare
from tests.browser.waiting import reload_until
from tests.support.sheets import xlsx

LANGUAGES = list(PORTAL_LANGUAGES)
ORGS = {Role.NALAS: "NALAS", Role.LGA: "ZELS", Role.LG: "MK-KUMANOVO"}


@dataclass(frozen=True)
class Visit:
    name: str
    role: Role
    path: Callable[[Story], str]
    heading: str | None = None  # the page's English heading, where it is the portal's own words
    then: Callable[[Person], None] | None = None  # what the person does on the page before it is seen


def check_a_sheet(person: Person) -> None:
    """Upload a roadmap sheet with a good row and a faulty one: the preview shows what will change and the problems."""
    good = {"language": "en", "title/en": "Day-care centres in rural areas", "topics": "social_services"}
    content = xlsx(COLUMNS, good, {**good, "title/en": None, "topics": "no_such_topic"})
    person.page.locator("#sheet").set_input_files(
        {"name": "roadmap.xlsx", "mimeType": XLSX_MEDIA_TYPE, "buffer": content}
    )
    person.page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    expect(person.page.locator("#problems-error")).to_be_visible()


VISITS = [
    Visit("dashboard", Role.NALAS, lambda _: "/", "Where the regional roadmap stands"),
    Visit("roadmaps", Role.NALAS, lambda _: "/roadmaps", "Roadmaps"),
    Visit("roadmap", Role.NALAS, lambda s: f"/roadmaps/{s.roadmap}"),
    Visit("recommendation", Role.NALAS, lambda s: f"/recommendations/{s.in_implementation}"),
    Visit("review-queue", Role.NALAS, lambda _: "/reviews", "Review queue"),
    Visit("review-form", Role.NALAS, lambda s: f"/reviews/{s.under_review}"),
    Visit("actions", Role.NALAS, lambda _: "/actions", "Actions"),
    Visit("action", Role.NALAS, lambda s: f"/actions/{s.action}"),
    Visit("inbox", Role.NALAS, lambda _: "/inbox", "Inbox"),
    Visit("mail", Role.NALAS, lambda _: "/mail", "Mail sent"),
    Visit("drafting-desk", Role.LGA, lambda _: "/desk", "Drafting desk"),
    Visit("draft", Role.LGA, lambda s: f"/desk/recommendations/{s.drafted}"),
    Visit("milestone-reports", Role.LG, lambda _: "/reporting", "Milestone reports"),
    Visit("reporting-form", Role.LG, lambda s: f"/reporting/{s.in_implementation}/{s.milestone}"),
    Visit("developers", Role.NALAS, lambda _: "/developers", "Events for developers"),
    Visit("roadmap-import", Role.LGA, lambda s: f"/imports/roadmap/{s.roadmap}", "Import recommendations from Excel"),
    Visit(
        "roadmap-import-preview",
        Role.LGA,
        lambda s: f"/imports/roadmap/{s.roadmap}",
        "Import recommendations from Excel",
        then=check_a_sheet,
    ),
    Visit(
        "attendance-import",
        Role.NALAS,
        lambda s: f"/imports/attendance/{s.action}",
        "Import an attendance sheet from Excel",
    ),
]
PHONE_VISITS = {
    "dashboard",
    "review-queue",
    "reporting-form",
    "developers",
    "roadmap-import-preview",
    "attendance-import",
}
ON_A_PHONE = [visit for visit in VISITS if visit.name in PHONE_VISITS]
# Status badges taller than one line of their text: a word broken inside ("Submitte/d") or a badge split in two.
BROKEN_BADGES = """[...document.querySelectorAll('.status')]
  .filter(badge => badge.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(badge).lineHeight))
  .map(badge => badge.textContent)"""


@pytest.fixture(scope="module")
def story(stack: RunningStack) -> Story:
    return aside(prepare(stack))


@dataclass
class Crowd:
    """The people whose pages these are, each signed in once per screen size, all speaking one language."""

    portal: Portal
    lang: str
    signed_in: dict[tuple[Role, bool], Person] = field(default_factory=dict)

    def __call__(self, role: Role, *, phone: bool = False) -> Person:
        if (role, phone) not in self.signed_in:
            self.signed_in[role, phone] = self.portal.person(role, ORGS[role], lang=self.lang, phone=phone)
        return self.signed_in[role, phone]


def see(person: Person, visit: Visit, story: Story, name: str) -> None:
    person.open(visit.path(story))
    if visit.then:
        visit.then(person)
    expect(person.page.locator("html")).to_have_attribute("lang", person.lang)
    heading = person.page.get_by_role("heading", level=1)
    if visit.heading and person.lang != "en":
        expect(heading).not_to_have_text(visit.heading)
    elif visit.heading:
        expect(heading).to_have_text(visit.heading)
    person.look(name)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_speaks_the_chosen_language_and_passes_axe(portal: Portal, story: Story, lang: str) -> None:
    stranger = portal.stranger()
    stranger.open("/sign-in")
    stranger.speak(lang)
    stranger.look("sign-in")
    people = Crowd(portal, lang)
    for visit in VISITS:
        see(people(visit.role), visit, story, visit.name)
    too_wide, broken = {}, {}
    for visit in ON_A_PHONE:
        phone = people(visit.role, phone=True)
        see(phone, visit, story, f"{visit.name}-phone")
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[visit.name] = width
        if badges := phone.page.evaluate(BROKEN_BADGES):
            broken[visit.name] = badges
    portal.assert_accessible()
    assert not too_wide, f"pages that scroll sideways on a {PHONE['width']} px phone, with their width: {too_wide}"
    assert not broken, f"status badges wrapped on a {PHONE['width']} px phone: {broken}"


PUBLIC_LISTS = {
    "public": "/public",
    "public-economies": "/public/economies",
    "public-local-governments": "/public/local-governments",
    "public-actions": "/public/actions",
}


def choose_public_language(person: Person, lang: str) -> None:
    """The public pages' picker: a plain form that puts the language in the address, no sign-in, no cookie."""
    picker = person.page.locator("form[method='get']")
    picker.get_by_role("combobox").select_option(lang)
    picker.get_by_role("button").click()
    expect(person.page.locator("html")).to_have_attribute("lang", lang)
    person.lang = lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_public_page_speaks_the_chosen_language_passes_axe_and_fits_a_phone(
    portal: Portal, story: Story, lang: str
) -> None:
    complaints: list[str] = []
    too_wide: dict[str, int] = {}
    for phone in (False, True):
        visitor = portal.stranger(phone=phone)
        visitor.page.on("console", lambda m: complaints.append(m.text) if m.type == "error" else None)
        visitor.page.on("pageerror", lambda e: complaints.append(str(e)))
        visitor.open("/sign-in")
        visitor.page.get_by_role("link", name="what was recommended and what was done").click()
        choose_public_language(visitor, lang)
        recommendation = f"/public/recommendations/{story.in_implementation}?lang={lang}"
        visitor.open(recommendation)
        reload_until(visitor.page, visitor.page.get_by_role("heading", level=1))  # progress hears of it in a moment
        visits = {name: f"{path}?lang={lang}" for name, path in PUBLIC_LISTS.items()}
        visits |= {
            "public-roadmap": f"/public/roadmaps/{story.roadmap}?lang={lang}",
            "public-recommendation": recommendation,
        }
        for name, path in visits.items():
            visitor.open(path)
            expect(visitor.page.locator("html")).to_have_attribute("lang", lang)
            visitor.look(f"{name}-phone" if phone else name)
            width = visitor.page.evaluate("document.documentElement.scrollWidth")
            if phone and width > PHONE["width"]:
                too_wide[name] = width
    portal.assert_accessible()
    assert not complaints, f"errors on the console: {complaints}"
    assert not too_wide, f"public pages that scroll sideways on a {PHONE['width']} px phone: {too_wide}"
