"""Every portal page renders for the roles it is for, in every language, from the services' answers."""

from contracts.envelope import Role
from sori.i18n import LANGUAGES, translations
from tests.service.portal_fakes import ACTION, MILESTONE, REC, ROADMAP, Portal

PAGES_FOR = {
    Role.NALAS: [
        "/",
        "/roadmaps",
        f"/roadmaps/{ROADMAP}",
        f"/recommendations/{REC}",
        "/reviews",
        f"/reviews/{REC}",
        "/actions",
        f"/actions/{ACTION}",
        "/inbox",
        "/mail",
    ],
    Role.LGA: ["/desk", f"/desk/recommendations/{REC}", f"/recommendations/{REC}?before=1&after=2"],
    Role.LG: ["/reporting", f"/reporting/{REC}/{MILESTONE}"],
}


async def test_every_page_renders_in_every_language_for_its_role(portal: Portal) -> None:
    for role, pages in PAGES_FOR.items():
        portal.sign_in_as(role)
        for language in LANGUAGES:
            portal.speak(language)
            for path in pages:
                response = await portal.http.get(path)
                assert response.status_code == 200, (role, language, path, response.text[-500:])
                assert f'<html lang="{language}">' in response.text
                assert translations(language).gettext("Skip to main content") in response.text


async def test_navigation_shows_only_what_the_role_can_do(portal: Portal) -> None:
    portal.sign_in_as(Role.LG)
    page = (await portal.http.get("/inbox")).text
    assert 'href="/reporting"' in page
    assert 'href="/desk"' not in page
    assert 'href="/reviews"' not in page
    portal.sign_in_as(Role.LGA)
    page = (await portal.http.get("/inbox")).text
    assert 'href="/desk"' in page
    assert 'href="/reporting"' not in page


async def test_a_page_not_for_the_role_is_refused_with_a_page_not_an_error(portal: Portal) -> None:
    portal.sign_in_as(Role.LG)
    response = await portal.http.get("/reviews")
    assert response.status_code == 403
    assert "This page is not available for your role." in response.text


async def test_the_dashboard_draws_its_charts_with_titles_and_a_data_table(portal: Portal) -> None:
    portal.sign_in_as(Role.OBSERVER)
    page = (await portal.http.get("/")).text
    assert '<title id="funnel-title">Recommendations by status</title>' in page
    assert '<desc id="funnel-desc">How many recommendations' in page
    assert '<tr><th scope="row">Changes requested</th><td>0</td></tr>' in page
    assert '<title id="women-title">Women-and-girls marker against the target</title>' in page
    assert '<tr><th scope="row">Target</th><td>20%</td></tr>' in page
    assert page.count("Show the data as a table") == 8


async def test_a_chart_without_data_says_so_instead_of_drawing_nothing(portal: Portal) -> None:
    portal.sign_in_as(Role.OBSERVER)
    page = (await portal.http.get("/")).text
    assert page.count("No data yet.") == 5  # no programme, economy, association or participant is known yet
    assert page.count('role="img"') == 3


async def test_user_written_texts_carry_their_own_language(portal: Portal) -> None:
    portal.sign_in_as(Role.NALAS)
    portal.speak("sq")
    page = (await portal.http.get(f"/recommendations/{REC}")).text
    assert '<html lang="sq">' in page
    assert '<span lang="mk">Дневни центри во руралните средини</span>' in page
    inbox = (await portal.http.get("/inbox")).text
    assert '<h2 lang="sq">Rekomandimi u miratua</h2>' in inbox


async def test_dates_follow_the_language(portal: Portal) -> None:
    portal.sign_in_as(Role.LG)
    for language, due in {
        "en": "Jun 30, 2027",
        "mk": "30.6.2027",
        "sq": "30.6.2027",
        "sr-Cyrl": "30. 6. 2027.",
    }.items():
        portal.speak(language)
        assert due in (await portal.http.get("/reporting")).text


async def test_a_malformed_address_is_a_page_saying_so(portal: Portal) -> None:
    portal.sign_in_as(Role.NALAS)
    response = await portal.http.get("/recommendations/not-an-id")
    assert response.status_code == 422
    assert "This address is not valid." in response.text


async def test_the_working_group_reads_the_mail_a_local_run_kept_and_others_may_not(portal: Portal) -> None:
    portal.sign_in_as(Role.NALAS)
    page = (await portal.http.get("/mail")).text
    assert "Рекомендацијата беше одобрена" in page
    assert "roadmaps@zels.invalid" in page
    portal.sign_in_as(Role.LGA)
    refused = await portal.http.get("/mail")
    assert refused.status_code == 403
    assert 'href="/mail"' not in (await portal.http.get("/inbox")).text
