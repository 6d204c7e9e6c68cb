"""The public pages, as someone who never signs in, in each of the portal's languages chosen with the public pages'
own picker: each page speaks that language, has nothing for axe to find, logs no error to the console, and on a
phone (360 px wide) does not scroll sideways."""

import pytest
from playwright.sync_api import expect

from sori.i18n import LANGUAGES as PORTAL_LANGUAGES
from tests.browser.people import PHONE, Person, Portal

LANGUAGES = list(PORTAL_LANGUAGES)
LISTS = {
    "public": "/public",
    "public-economies": "/public/economies",
    "public-local-governments": "/public/local-governments",
    "public-actions": "/public/actions",
}


def first_link(person: Person, under: str) -> str:
    """The address of the first link on the page to a page under `under`, as the page wrote it."""
    link = person.page.locator(f"main a[href^='{under}']").first
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href is not None
    return href


def choose_language(person: Person, lang: str) -> None:
    picker = person.page.locator("form[method='get']")
    picker.get_by_role("combobox").select_option(lang)
    picker.get_by_role("button").click()
    expect(person.page.locator("html")).to_have_attribute("lang", lang)
    person.lang = lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_public_page_speaks_the_chosen_language_passes_axe_and_fits_a_phone(portal: Portal, lang: str) -> None:
    complaints: list[str] = []
    too_wide: dict[str, int] = {}
    for phone in (False, True):
        visitor = portal.stranger(phone=phone)
        visitor.page.on("console", lambda m: complaints.append(m.text) if m.type == "error" else None)
        visitor.page.on("pageerror", lambda e: complaints.append(str(e)))
        visitor.open("/sign-in")
        visitor.page.get_by_role("link", name="what was recommended and what was done").click()
        choose_language(visitor, lang)
        visitor.open(first_link(visitor, "/public/roadmaps/"))
        roadmap = visitor.page.url
        recommendation = first_link(visitor, "/public/recommendations/")
        visits = {**{name: f"{path}?lang={lang}" for name, path in LISTS.items()}, "public-roadmap": roadmap}
        for name, path in {**visits, "public-recommendation": recommendation}.items():
            visitor.open(path)
            expect(visitor.page.locator("html")).to_have_attribute("lang", lang)
            visitor.look(f"{name}-phone" if phone else name)
            width = visitor.page.evaluate("document.documentElement.scrollWidth")
            if phone and width > PHONE["width"]:
                too_wide[path] = width
    portal.assert_accessible()
    assert not complaints, f"errors on the console: {complaints}"
    assert not too_wide, f"public pages that scroll sideways on a {PHONE['width']} px phone: {too_wide}"
