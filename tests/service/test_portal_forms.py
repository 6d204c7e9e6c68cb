"""The portal's forms send each command to its service with the person's own token, and show refusals on the form."""

from contracts.envelope import Role
from tests.service.portal_fakes import ACTION, EVIDENCE, MILESTONE, REC, ROADMAP, Portal, post_form


async def test_an_association_drafts_with_its_own_token(portal: Portal) -> None:
    token = portal.sign_in_as(Role.LGA)
    form = {
        "roadmap_id": ROADMAP,
        "title": "Day care",
        "language": "en",
        "problem_statement": "",
        "proposed_measures": "Two units.",
    }
    response = await post_form(portal, "/desk/recommendations", form)
    assert response.status_code == 303
    (sent,) = portal.services.posted(f"/roadmaps/v1/roadmaps/{ROADMAP}/recommendations")
    assert sent.authorization == f"Bearer {token}"
    assert sent.body == {"title": "Day care", "language": "en", "proposed_measures": "Two units."}


async def test_a_refused_submission_is_shown_on_its_form_with_the_services_reason(portal: Portal) -> None:
    portal.sign_in_as(Role.LGA)
    reason = "a recommendation that is endorsed cannot be submitted; only changes_requested, drafted ones can"
    params = {"status": "endorsed", "allowed": "changes_requested,drafted"}
    portal.services.refuse("POST", f"/roadmaps/v1/recommendations/{REC}/submit", 409, reason, "wrong_status", params)
    response = await post_form(portal, f"/desk/recommendations/{REC}/submit", {})
    assert response.status_code == 409
    assert 'role="alert" id="submit-error"' in response.text
    said = "This recommendation is Endorsed; this can be done only when it is Changes requested / Drafted."
    assert said in response.text


async def test_invalid_input_is_shown_field_by_field_never_as_a_server_error(portal: Portal) -> None:
    portal.sign_in_as(Role.LGA)
    detail = [{"loc": ["body", "milestones", 0, "due_date"], "msg": "Input should be a valid date", "type": "date"}]
    portal.services.refuse("POST", f"/roadmaps/v1/recommendations/{REC}/assignment", 422, detail)
    form = {"title_1": "Unit opens", "due_1": "", "lg_1": "MK-KUMANOVO", "title_2": "", "lg_2": "MK-STRUMICA"}
    response = await post_form(portal, f"/desk/recommendations/{REC}/assignment", form)
    assert response.status_code == 422
    assert "Due date: not valid" in response.text
    (sent,) = portal.services.posted(f"/roadmaps/v1/recommendations/{REC}/assignment")
    assert sent.body == {
        "local_governments": ["MK-KUMANOVO"],
        "milestones": [{"title": "Unit opens", "due_date": "", "local_government": "MK-KUMANOVO"}],
    }


async def test_a_revision_sends_only_what_changed(portal: Portal) -> None:
    portal.sign_in_as(Role.LGA)
    form = {
        "title": "Дневни центри во руралните средини",
        "problem_statement": "Нема дневна грижа.",
        "proposed_measures": "Три единици.",
        "evidence": "",
    }
    await post_form(portal, f"/desk/recommendations/{REC}/versions", form)
    (sent,) = portal.services.posted(f"/roadmaps/v1/recommendations/{REC}/versions")
    assert sent.body == {"proposed_measures": "Три единици."}


async def test_the_working_group_requests_changes_with_its_comments(portal: Portal) -> None:
    portal.sign_in_as(Role.NALAS)
    form = {"decision": "request_changes", "comments": "Add households.\n\nAdd a budget.", "reason": ""}
    response = await post_form(portal, f"/reviews/{REC}/decision", form)
    assert response.headers["location"] == f"/reviews/{REC}"
    (sent,) = portal.services.posted(f"/working-group/v1/recommendations/{REC}/decision")
    assert sent.body == {"decision": "request_changes", "comments": ["Add households.", "Add a budget."], "reason": ""}


async def test_a_local_government_reports_a_milestone_with_an_uploaded_file(portal: Portal) -> None:
    portal.sign_in_as(Role.LG)
    form = {"status": "done", "narrative": "Opened.", "indicator": "places", "indicator_value": "40"}
    files = {"evidence": ("report.pdf", b"%PDF-1.4 report", "application/pdf")}
    response = await post_form(portal, f"/reporting/{REC}/{MILESTONE}", form, files=files)
    assert response.headers["location"] == "/reporting?reported=1"
    (upload,) = portal.services.posted("/social-approaches/v1/evidence")
    assert upload.content_type.startswith("multipart/form-data")
    (report,) = portal.services.posted(f"/social-approaches/v1/recommendations/{REC}/milestones/{MILESTONE}/reports")
    assert report.body == {
        "status": "done",
        "narrative": "Opened.",
        "indicators": [{"indicator": "places", "value": "40"}],
        "evidence_ids": [EVIDENCE],
    }


async def test_a_refused_report_keeps_the_person_on_the_form(portal: Portal) -> None:
    portal.sign_in_as(Role.LG)
    path = f"/social-approaches/v1/recommendations/{REC}/milestones/{MILESTONE}/reports"
    portal.services.refuse("POST", path, 422, "a done report needs at least one evidence item", "done_needs_evidence")
    response = await post_form(portal, f"/reporting/{REC}/{MILESTONE}", {"status": "done"})
    assert response.status_code == 422
    assert "A report that says done needs at least one evidence file." in response.text
    assert "Send the report" in response.text


async def test_the_working_group_registers_a_participant(portal: Portal) -> None:
    portal.sign_in_as(Role.NALAS)
    form = {
        "organisation": "Strumica",
        "organisation_code": "MK-STRUMICA",  # its officers read this record (README Security)
        "organisation_type": "local_government",
        "sex": "female",
        "age_band": "30-44",
    }
    await post_form(portal, f"/actions/{ACTION}/participants", {**form, "attended": "yes"})
    (sent,) = portal.services.posted(f"/working-group/v1/actions/{ACTION}/participants")
    assert sent.body == {**form, "attended": True}


async def test_a_notice_is_marked_read(portal: Portal) -> None:
    portal.sign_in_as(Role.LG)
    notice = portal.services.answers[("GET", "/notifications/v1/inbox")]["notices"][0]["id"]
    response = await post_form(portal, f"/inbox/{notice}/read", {})
    assert response.headers["location"] == "/inbox"
    assert len(portal.services.posted(f"/notifications/v1/inbox/{notice}/read")) == 1


async def test_an_unreachable_service_is_a_bad_gateway_page_not_a_crash(portal: Portal) -> None:
    portal.sign_in_as(Role.NALAS)
    portal.services.refuse("GET", "/working-group/v1/review-queue", 503, "down")
    response = await portal.http.get("/reviews")
    assert response.status_code == 502
    assert "Not possible" in response.text


async def test_the_review_page_offers_what_the_working_groups_own_view_allows(portal: Portal) -> None:
    portal.sign_in_as(Role.NALAS)
    page = (await portal.http.get(f"/reviews/{REC}")).text
    assert "Record the decision" in page
    assert "Start the review" not in page
    del portal.services.answers[("GET", f"/working-group/v1/recommendations/{REC}")]
    page = (await portal.http.get(f"/reviews/{REC}")).text
    assert "The working group has not heard of this recommendation yet." in page
    assert "Record the decision" not in page


async def test_a_list_links_to_its_downloads_with_its_filters(portal: Portal) -> None:
    portal.sign_in_as(Role.NALAS)
    page = (await portal.http.get(f"/roadmaps/{ROADMAP}")).text
    assert 'href="/exports/recommendations.xlsx?association=ZELS&amp;programme=SoRi+3"' in page


async def test_a_download_is_fetched_from_progress_with_the_persons_token(portal: Portal) -> None:
    token = portal.sign_in_as(Role.OBSERVER)
    portal.services.answers[("GET", "/progress/v1/recommendations")] = []
    response = await portal.http.get("/exports/recommendations.csv?association=ZELS")
    assert response.status_code == 200
    (asked,) = [s for s in portal.services.sent if s.path == "/progress/v1/recommendations"]
    assert asked.authorization == f"Bearer {token}"
    assert (await portal.http.get("/exports/secrets.csv")).status_code == 404
