"""A recommendation's whole journey by clicking through the portal of a real stack: ZELS drafts and submits; the
working group requests changes, which ZELS reads on the recommendation's page on a phone; ZELS revises and
resubmits; the working group endorses; ZELS assigns Kumanovo and Strumica a milestone each; both report `done` with
an evidence file; the working group verifies; the dashboard counts one more verified recommendation. Every page seen
is photographed and checked with axe."""

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import FilePayload, Locator, Page, expect

from contracts.envelope import Role
from tests.browser.people import PHONE, Person, Portal
from tests.browser.waiting import reload_until, until_status

TITLE = "Day care for persons with disabilities in rural areas (browser journey)"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
LOCAL_GOVERNMENTS = {"MK-KUMANOVO": "Kumanovo", "MK-STRUMICA": "Strumica"}


def verified_cell(page: Page) -> Locator:
    """The `Verified` bar's value in the data table of the dashboard's status chart (folded away until asked for)."""
    status = page.get_by_role("region", name="Status", exact=True)
    verified = status.get_by_role("row", name=re.compile(r"^Verified\b"), include_hidden=True)
    return verified.get_by_role("cell", include_hidden=True)


def verified_count(page: Page) -> int:
    shown = verified_cell(page).text_content()
    assert shown is not None, "the dashboard's status chart has no Verified row"
    return int(shown)


def draft_and_submit(zels: Person) -> None:
    zels.open("/desk")
    zels.look("drafting-desk")
    drafting = zels.page.locator("form[action='/desk/recommendations']")
    drafting.get_by_label("Title").fill(TITLE)
    drafting.get_by_label("Language of the text").select_option("en")
    drafting.get_by_label("Problem statement").fill("Families in rural municipalities have no day care nearby.")
    drafting.get_by_label("Proposed measures").fill("Two satellite day-care units.")
    drafting.get_by_role("button", name="Save the draft").click()
    zels.page.get_by_role("link", name=TITLE).click()
    until_status(zels.page, "Drafted")
    zels.look("draft")
    zels.page.get_by_role("button", name="Submit version 1").click()
    until_status(zels.page, "Submitted")


def open_for_review(wg: Person) -> None:
    wg.open("/reviews")
    reload_until(wg.page, wg.page.get_by_role("link", name=TITLE))
    wg.look("review-queue")
    wg.page.get_by_role("link", name=TITLE).click()
    until_status(wg.page, "Submitted")
    wg.page.get_by_role("button", name="Start the review").click()
    until_status(wg.page, "Under review")
    wg.look("review-form")


def decide(wg: Person, decision: str, comments: str = "") -> None:
    wg.page.get_by_label(decision, exact=True).check()
    wg.page.get_by_label("Comments for the association (one per line)").fill(comments)
    wg.page.get_by_role("button", name="Record the decision").click()


def read_the_request_on_a_phone(portal: Portal, draft_url: str) -> None:
    """ZELS reads what the working group asks on the recommendation's page, 360 px wide, without sideways scrolling."""
    phone = portal.person(Role.LGA, "ZELS", phone=True)
    phone.open(draft_url.replace("/desk/recommendations/", "/recommendations/"))
    asks = phone.page.get_by_test_id("standing-words")
    reload_until(phone.page, asks)  # the page shows it once progress has heard of the change
    expect(asks.get_by_role("heading")).to_have_text("What the working group asks")
    expect(asks).to_contain_text("Add the yearly costs.")
    phone.look("recommendation-changes-requested-phone")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def revise_and_resubmit(zels: Person, draft_url: str) -> None:
    zels.open(draft_url)
    until_status(zels.page, "Changes requested")
    zels.page.get_by_label("Proposed measures").fill("Two satellite day-care units; 40,000 EUR a year.")
    zels.page.get_by_role("button", name="Save a new version").click()
    zels.look("draft-revised")
    zels.page.get_by_role("button", name="Submit version 2").click()
    until_status(zels.page, "Submitted")


def assign(zels: Person, draft_url: str) -> None:
    zels.open(draft_url)
    until_status(zels.page, "Endorsed")
    due = (datetime.now(UTC).date() + timedelta(days=60)).isoformat()
    for row, (code, name) in enumerate(LOCAL_GOVERNMENTS.items(), start=1):
        milestone = zels.page.get_by_role("group", name=f"Milestone {row}")
        milestone.get_by_label("Milestone title").fill(f"Day-care unit opens in {name}")
        milestone.get_by_label("Due date").fill(due)
        milestone.get_by_label("Local government").select_option(code)
    zels.look("assignment")
    zels.page.get_by_role("button", name="Assign with this plan").click()
    until_status(zels.page, "In implementation")


def report_done(lg: Person, name: str) -> None:
    lg.open("/reporting")
    milestone = lg.page.get_by_role("link", name=f"Day-care unit opens in {name}")
    reload_until(lg.page, milestone)
    lg.look("milestone-reports")
    milestone.click()
    lg.page.get_by_label("Done", exact=True).check()
    lg.page.get_by_label("What was done").fill(f"The unit in {name} opened and serves twelve people.")
    evidence = FilePayload(name="opening.pdf", mimeType="application/pdf", buffer=PDF)
    lg.page.get_by_label(re.compile(r"^Evidence file")).set_input_files(evidence)
    lg.look("reporting-form")
    lg.page.get_by_role("button", name="Send the report").click()
    expect(lg.page.get_by_role("status")).to_have_text("Your report was sent.")


def verify(wg: Person) -> None:
    wg.open("/reviews")
    reload_until(wg.page, wg.page.get_by_role("link", name=TITLE))
    wg.page.get_by_role("link", name=TITLE).click()
    until_status(wg.page, "Implemented")
    wg.page.get_by_label("Verify", exact=True).check()
    wg.page.get_by_label("Note").fill("Visited both units.")
    wg.look("verification-form")
    wg.page.get_by_role("button", name="Record the verification").click()
    until_status(wg.page, "Verified")


def test_a_recommendation_goes_from_draft_to_verified_by_clicking_through_the_portal(portal: Portal) -> None:
    wg = portal.person(Role.NALAS, "NALAS")
    zels = portal.person(Role.LGA, "ZELS")
    verified_before = verified_count(wg.page)

    draft_and_submit(zels)
    draft_url = zels.page.url
    open_for_review(wg)
    decide(wg, "Request changes", "Add the yearly costs.")
    until_status(wg.page, "Changes requested")
    read_the_request_on_a_phone(portal, draft_url)

    revise_and_resubmit(zels, draft_url)
    open_for_review(wg)
    decide(wg, "Endorse")
    until_status(wg.page, "Endorsed")

    assign(zels, draft_url)
    for code, name in LOCAL_GOVERNMENTS.items():
        report_done(portal.person(Role.LG, code), name)

    verify(wg)
    wg.page.get_by_role("link", name="Timeline, versions and comments").click()
    expect(wg.page.get_by_test_id("recommendation-status")).to_have_text("Verified")
    wg.look("recommendation")

    wg.open("/")
    reload_until(wg.page, verified_cell(wg.page), str(verified_before + 1))
    wg.look("dashboard")
    portal.assert_accessible()
