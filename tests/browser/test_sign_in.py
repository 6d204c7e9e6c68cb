"""Signing in to the portal with a token: the right one opens the dashboard, a forged one is refused with why."""

from playwright.sync_api import expect

from contracts.envelope import Role
from tests.browser.people import Portal


def test_a_person_with_a_valid_token_signs_in_and_sees_the_dashboard(portal: Portal) -> None:
    stranger = portal.stranger()
    stranger.open("/")
    expect(stranger.page).to_have_url(f"{portal.stack.url('progress')}/sign-in?next=/")
    stranger.look("sign-in")

    nalas = portal.person(Role.NALAS, "NALAS")
    expect(nalas.page.get_by_role("heading", level=1)).to_have_text("Where the regional roadmap stands")
    expect(nalas.page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue")).to_be_visible()
    nalas.look("dashboard")
    portal.assert_accessible()


def test_a_forged_token_is_refused_with_the_reason(portal: Portal) -> None:
    stranger = portal.stranger()
    stranger.open("/sign-in")
    stranger.page.get_by_label("Access token").fill("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtZSJ9.forged")
    stranger.page.get_by_role("button", name="Sign in").click()
    expect(stranger.page.get_by_role("alert")).to_contain_text("This token is not valid.")
    stranger.look("sign-in-refused")
    portal.assert_accessible()
