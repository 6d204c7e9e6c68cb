"""What the portal says when it cannot do what was asked: a page in the person's language for an unknown address,
and a service's refusal worded from the portal's catalogue, naming things by their names, never by ids."""

from contracts.envelope import Role
from sori.i18n import translations
from tests.service.portal_fakes import REC, ROADMAP, Portal, post_form


async def test_an_unknown_address_is_a_page_in_the_persons_language(portal: Portal) -> None:
    portal.sign_in_as(Role.LGA)
    portal.speak("mk")

    response = await portal.http.get("/no/such/page")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="mk">' in response.text
    assert "Нема таква страница." in response.text
    assert "Not Found" not in response.text


async def test_an_unknown_address_is_a_page_even_before_signing_in(portal: Portal) -> None:
    response = await portal.http.get("/desk/nothing/here")

    assert response.status_code == 404
    assert "There is no such page." in response.text


async def test_an_unknown_static_file_is_the_same_page(portal: Portal) -> None:
    portal.speak("sq")

    response = await portal.http.get("/static/secrets.txt")

    assert response.status_code == 404
    assert '<div class="error" role="alert"><p>Nuk ka faqe të tillë.</p></div>' in response.text


async def test_an_unknown_api_address_keeps_answering_json(portal: Portal) -> None:
    response = await portal.http.get("/progress/v1/no-such-list")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


async def test_a_services_refusal_is_worded_in_the_persons_language_with_names_not_ids(portal: Portal) -> None:
    portal.sign_in_as(Role.LGA)
    portal.speak("mk")
    english = "ZELS already has a roadmap for SoRi 4: d2f2df5d-7b1c-4c1e-9a55-0f3f1e2a7c10"
    portal.services.refuse(
        "POST", "/roadmaps/v1/roadmaps", 409, english, "roadmap_exists", {"association": "ZELS", "programme": "SoRi 4"}
    )

    response = await post_form(portal, "/desk/roadmaps", {"programme": "SoRi 4", "title": "Втор патоказ"})

    assert response.status_code == 409
    assert "ZELS веќе има патоказ за SoRi 4." in response.text
    assert english not in response.text
    assert "d2f2df5d" not in response.text


async def test_a_refusal_over_the_recommendations_state_names_the_state_in_the_persons_language(
    portal: Portal,
) -> None:
    portal.sign_in_as(Role.LGA)
    portal.speak("sq")
    path = f"/roadmaps/v1/recommendations/{REC}/submit"
    english = f"a recommendation that is endorsed cannot be submitted; only {REC} ones can"
    portal.services.refuse(
        "POST", path, 409, english, "wrong_status", {"status": "endorsed", "allowed": "changes_requested,drafted"}
    )

    response = await post_form(portal, f"/desk/recommendations/{REC}/submit", {})

    assert response.status_code == 409
    assert 'role="alert" id="submit-error"' in response.text
    assert "E miratuar" in response.text
    assert english not in response.text


async def test_a_refusal_without_a_code_is_said_by_its_kind_never_in_english_with_ids(portal: Portal) -> None:
    portal.sign_in_as(Role.NALAS)
    portal.speak("hr")
    english = f"recommendation {REC} has never been seen on the lifecycle topic"
    portal.services.refuse("POST", f"/working-group/v1/recommendations/{REC}/review", 404, english)

    response = await post_form(portal, f"/reviews/{REC}/review", {})

    assert response.status_code == 404
    assert REC not in response.text.replace(f"/reviews/{REC}", "").replace(f"/recommendations/{REC}", "")
    assert translations("hr").gettext("What you asked for was not found.") in response.text


async def test_invalid_input_names_the_field_in_the_persons_language(portal: Portal) -> None:
    portal.sign_in_as(Role.LGA)
    portal.speak("bs")
    too_long = {"loc": ["body", "title"], "msg": "String should have at most 300 characters", "type": "string_too_long"}
    portal.services.refuse("POST", f"/roadmaps/v1/roadmaps/{ROADMAP}/recommendations", 422, [too_long])

    response = await post_form(portal, "/desk/recommendations", {"roadmap_id": ROADMAP, "title": "x" * 301})

    assert response.status_code == 422
    assert "Naslov: " in response.text
    assert "String should have" not in response.text
