"""Reporting on a poor connection (README, "Reporting offline"): with the browser offline, what an officer types
survives a reload, a report sent waits in the browser's outbox, and when the connection returns exactly one report
arrives — also when the first answer is lost on its way back; a report the service refuses stays in the outbox
with the reason, in every language, axe-clean at 360 px; without JavaScript the form posts as it always did."""

import io
from dataclasses import dataclass

import pytest
from PIL import Image
from playwright.sync_api import Page, Route, expect

from contracts.envelope import Role
from sori.i18n import LANGUAGES, translations
from sori_cli.stack.child import RunningStack
from tests.browser.people import PHONE, Person, Portal
from tests.browser.story import aside, cast_of
from tests.support.journey import person, zels_roadmap

OFFLINE = "Visits start in the winter months"
LOST_ANSWER = "Visits reach the outlying villages"
WITHOUT_SCRIPT = "Visits are written up for the council"
REFUSED = "Visits are evaluated with the families"
KEPT_WITHIN_MS = 30_000  # the service worker installs, then fetches and keeps the reporting pages
SENT_WITHIN_MS = 30_000  # the outbox tries again a few seconds after a lost answer


@dataclass(frozen=True)
class Stage:
    recommendation: str
    milestones: dict[str, str]  # id by title

    def form(self, title: str) -> str:
        return f"/reporting/{self.recommendation}/{self.milestones[title]}"

    def reports(self, stack: RunningStack, title: str) -> list[dict[str, object]]:
        """The reports on the milestone, as social_approaches holds them."""
        path = f"/social-approaches/v1/recommendations/{self.recommendation}/milestones/{self.milestones[title]}"
        kumanovo = person(stack, "social_approaches", Role.LG, "MK-KUMANOVO")
        found: list[dict[str, object]] = aside(kumanovo.call("GET", f"{path}/reports"))
        return found


@pytest.fixture(scope="module")
def stage(stack: RunningStack) -> Stage:
    async def assigned() -> Stage:
        lga = person(stack, "roadmaps", Role.LGA, "ZELS")
        cast = cast_of(stack, lga, await zels_roadmap(lga))
        milestones = (OFFLINE, LOST_ANSWER, WITHOUT_SCRIPT, REFUSED)
        recommendation, ids = await cast.in_implementation("Home visits to older people living alone", milestones)
        return Stage(recommendation, ids)

    return aside(assigned())


def kept_for_offline(officer: Person, path: str) -> Page:
    """The form, open once with a connection, until the service worker says it keeps the reporting pages."""
    page = officer.open(path)
    expect(page.locator("#offline-ready")).to_be_visible(timeout=KEPT_WITHIN_MS)
    return page


def draft_holds(page: Page, narrative: str, photo: str | None = None) -> None:
    """Wait until the browser's IndexedDB holds the draft as typed (and the photo, made ready to send)."""
    page.wait_for_function(
        """async ([narrative, photo]) => {
          const db = await new Promise((ok, no) => {
            const opening = indexedDB.open("sori-reporting");
            opening.onsuccess = () => ok(opening.result);
            opening.onerror = () => no(opening.error);
          });
          const drafts = await new Promise((ok) => {
            const reading = db.transaction("drafts").objectStore("drafts").getAll();
            reading.onsuccess = () => ok(reading.result);
          });
          db.close();
          return drafts.some((d) => d.fields.narrative === narrative && (!photo || (d.file && d.file.name === photo)));
        }""",
        arg=[narrative, photo],
    )


def waiting(page: Page, lang: str, count: int) -> None:
    said = translations(lang).gettext("Waiting to send (%(count)s)") % {"count": count}
    expect(page.locator("#outbox [data-count]")).to_have_text(said)


def photo_png(width: int, height: int) -> bytes:
    picture = Image.new("RGB", (width, height), (30, 120, 60))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def test_chromium_reads_the_manifest_and_would_install_the_portal(portal: Portal) -> None:
    page = portal.person(Role.LG, "MK-KUMANOVO").open("/reporting")
    expect(page.locator("#offline-ready")).to_be_visible(timeout=KEPT_WITHIN_MS)
    devtools = page.context.new_cdp_session(page)
    manifest = devtools.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert manifest["url"].endswith("/manifest.webmanifest")
    refusals = devtools.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # A Playwright context is off the record, where Chromium never installs; nothing else stands in the way.
    assert [r["errorId"] for r in refusals if r["errorId"] != "in-incognito"] == []


def test_a_report_typed_offline_survives_a_reload_and_arrives_once_online(
    portal: Portal, stack: RunningStack, stage: Stage
) -> None:
    officer = portal.person(Role.LG, "MK-KUMANOVO", phone=True)
    page = kept_for_offline(officer, stage.form(OFFLINE))
    page.context.set_offline(True)
    narrative = "Twelve home visits in Lipkovo road; two families asked for a second visit."
    page.get_by_label("On track").check()
    page.get_by_label("What was done").fill(narrative)
    draft_holds(page, narrative)

    reloaded = page.reload()
    assert reloaded is not None
    assert reloaded.from_service_worker  # the page came from the browser's copy, not from the network
    expect(page.get_by_label("What was done")).to_have_value(narrative)
    expect(page.get_by_label("On track")).to_be_checked()
    # The browser may restore a reloaded form by itself; a new tab has only what the portal's script kept.
    other_tab = page.context.new_page()
    other_tab.goto(stage.form(OFFLINE))
    expect(other_tab.get_by_label("What was done")).to_have_value(narrative)
    expect(other_tab.get_by_label("On track")).to_be_checked()
    other_tab.close()
    page.get_by_role("button", name="Send the report").click()
    waiting(page, "en", 1)
    assert stage.reports(stack, OFFLINE) == []

    page.context.set_offline(False)
    expect(page.locator("#outbox-sent")).to_have_text("Your report was sent.", timeout=SENT_WITHIN_MS)
    expect(page.locator("#outbox")).to_be_hidden()
    (report,) = stage.reports(stack, OFFLINE)
    assert (report["status"], report["narrative"]) == ("on_track", narrative)
    page.reload()  # the draft went with the report
    expect(page.get_by_label("What was done")).to_have_value("")


def test_a_report_whose_answer_was_lost_is_sent_again_and_arrives_once_with_its_photo_made_smaller(
    portal: Portal, stack: RunningStack, stage: Stage
) -> None:
    officer = portal.person(Role.LG, "MK-KUMANOVO", phone=True)
    path = stage.form(LOST_ANSWER)
    page = kept_for_offline(officer, path)
    page.context.set_offline(True)
    narrative = "Visits reached all nine villages; photo of the visit plan attached."
    page.get_by_label("Done", exact=True).check()
    page.get_by_label("What was done").fill(narrative)
    evidence = page.get_by_label("Evidence file", exact=False)
    evidence.set_input_files({"name": "plan.png", "mimeType": "image/png", "buffer": photo_png(3000, 1500)})
    draft_holds(page, narrative, "plan.jpg")
    page.reload()
    # The browser may put the text back itself on a reload; the file only the portal's script restores.
    # A function, not an expression: Playwright evaluates an expression with eval, which the portal's CSP refuses.
    restored = "() => [...document.getElementById('evidence').files].map((f) => f.name).join() === 'plan.jpg'"
    page.wait_for_function(restored)
    expect(page.get_by_label("What was done")).to_have_value(narrative)
    page.get_by_role("button", name="Send the report").click()
    waiting(page, "en", 1)

    answers: list[int] = []

    def lose_the_first_answer(route: Route) -> None:
        if route.request.method != "POST" or answers:
            route.fallback()
            return
        answers.append(route.fetch(max_redirects=0).status)  # the portal and the service have done their part
        route.abort("connectionreset")  # and the browser never hears of it

    page.route(f"**{path}", lose_the_first_answer)
    page.context.set_offline(False)
    expect(page.locator("#outbox-sent")).to_have_text("Your report was sent.", timeout=SENT_WITHIN_MS)
    expect(page.locator("#outbox")).to_be_hidden(timeout=SENT_WITHIN_MS)
    assert answers == [303]  # the first send went through; its answer was lost
    (report,) = stage.reports(stack, LOST_ANSWER)
    assert (report["status"], report["narrative"]) == ("done", narrative)
    evidence_ids = report["evidence_ids"]
    assert isinstance(evidence_ids, list)
    (evidence_id,) = evidence_ids
    kumanovo = person(stack, "social_approaches", Role.LG, "MK-KUMANOVO")
    sent = aside(kumanovo.http.get(f"/social-approaches/v1/evidence/{evidence_id}/content"))
    photo = Image.open(io.BytesIO(sent.content))
    assert (photo.format, photo.size) == ("JPEG", (2000, 1000))


def test_without_javascript_the_form_posts_as_it_always_did(portal: Portal, stack: RunningStack, stage: Stage) -> None:
    officer = portal.person(Role.LG, "MK-KUMANOVO", javascript=False)
    page = officer.open(stage.form(WITHOUT_SCRIPT))
    expect(page.locator("#outbox")).to_be_hidden()
    page.get_by_label("At risk").check()
    page.get_by_label("What was done").fill("The council meets again in March.")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("status")).to_have_text("Your report was sent.")
    (report,) = stage.reports(stack, WITHOUT_SCRIPT)
    assert report["narrative"] == "The council meets again in March."


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_refused_report_stays_in_the_outbox_with_its_reason_for_the_officer_to_correct(
    portal: Portal, stack: RunningStack, stage: Stage, lang: str
) -> None:
    officer = portal.person(Role.LG, "MK-KUMANOVO", lang=lang, phone=True)
    path = stage.form(REFUSED)
    page = kept_for_offline(officer, path)
    page.context.set_offline(True)
    page.locator("input[name=status][value=done]").check()  # done, and no evidence: refused when it arrives
    page.locator("#narrative").fill("All families were visited.")
    page.locator("form[data-report] button[type=submit]").click()
    waiting(page, lang, 1)
    officer.look("reporting-form-waiting")

    page.context.set_offline(False)
    reason = translations(lang).gettext("A report that says done needs at least one evidence file.")
    expect(page.locator("#outbox .outbox-reason")).to_contain_text(reason, timeout=SENT_WITHIN_MS)
    waiting(page, lang, 0)
    officer.look("reporting-form-refused")
    widths = {"form": page.evaluate("document.documentElement.scrollWidth")}
    officer.open("/reporting")
    expect(page.locator("#outbox .outbox-reason")).to_contain_text(reason)
    officer.look("milestone-reports-refused")
    widths["list"] = page.evaluate("document.documentElement.scrollWidth")
    assert stage.reports(stack, REFUSED) == []

    page.locator("#outbox a").click()  # to its form, where it goes back into the fields
    page.locator("#outbox button:not(.secondary)").click()
    expect(page.locator("#narrative")).to_have_value("All families were visited.")
    expect(page.locator("input[name=status][value=done]")).to_be_checked()
    expect(page.locator("#outbox")).to_be_hidden()
    portal.assert_accessible()
    assert all(width <= PHONE["width"] for width in widths.values()), widths
