"""The portal as an installable web app (manifest, icons drawn from the favicon, a service worker at the root) and
the report's Idempotency-Key passed on to social_approaches (README, "Reporting offline")."""

import io
import json

from PIL import Image

from contracts.envelope import Role
from services.progress.portal.pages import PAGE_HEADERS
from tests.service.portal_fakes import EVIDENCE, MILESTONE, REC, Portal, post_form

REPORTS = f"/social-approaches/v1/recommendations/{REC}/milestones/{MILESTONE}/reports"


async def test_the_manifest_names_the_app_in_the_persons_language_with_icons_that_exist(portal: Portal) -> None:
    portal.speak("mk")
    response = await portal.http.get("/manifest.webmanifest")
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = json.loads(response.text)
    assert manifest["lang"] == "mk"
    assert manifest["name"] == "SoRi · Патокази за социјална вклученост"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    purposes = set()
    for icon in manifest["icons"]:
        fetched = await portal.http.get(icon["src"])
        assert fetched.status_code == 200
        assert fetched.headers["content-type"] == icon["type"]
        if icon["type"] == "image/png":
            side = int(icon["sizes"].split("x")[0])
            assert Image.open(io.BytesIO(fetched.content)).size == (side, side)
            purposes.add(icon["purpose"])
    assert purposes == {"any", "maskable"}  # Chromium installs with a 192 and a 512; Android shapes a maskable one


async def test_an_icon_is_the_favicon_drawn_large_and_a_maskable_one_fills_its_square(portal: Portal) -> None:
    rounded = Image.open(io.BytesIO((await portal.http.get("/icons/icon-512.png")).content)).convert("RGBA")
    maskable = Image.open(io.BytesIO((await portal.http.get("/icons/maskable-512.png")).content)).convert("RGBA")
    assert rounded.getpixel((0, 0)) == (0, 0, 0, 0)  # outside the rounded corner
    assert maskable.getpixel((0, 0)) == (0x0B, 0x53, 0x94, 255)  # the favicon's blue up to the edge
    assert rounded.getpixel((40, 256)) == (0x0B, 0x53, 0x94, 255)
    letter = [rounded.getpixel((x, y)) for x in range(180, 330) for y in range(140, 380)]
    assert (255, 255, 255, 255) in letter  # the white "S"
    assert (await portal.http.get("/icons/evil.png")).status_code == 404


async def test_the_service_worker_is_served_from_the_root_uncached_and_the_pages_stay_strict(portal: Portal) -> None:
    worker = await portal.http.get("/service-worker.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["cache-control"] == "no-cache"
    assert worker.headers["service-worker-allowed"] == "/"
    assert "__SORI_VERSION__" not in worker.text
    script = await portal.http.get("/static/portal.js")
    assert script.headers["content-type"].startswith("text/javascript")
    portal.sign_in_as(Role.LG)
    page = await portal.http.get(f"/reporting/{REC}/{MILESTONE}")
    assert page.headers["content-security-policy"] == PAGE_HEADERS["Content-Security-Policy"]
    assert "default-src 'self'" in page.headers["content-security-policy"]  # scripts from this origin only
    assert '<script src="/static/portal.js" defer></script>' in page.text
    assert "<script>" not in page.text
    assert '<link rel="manifest" href="/manifest.webmanifest" crossorigin="use-credentials">' in page.text
    assert 'data-waiting="Waiting to send ({count})"' in page.text


async def test_the_reports_idempotency_key_goes_on_to_the_service_with_its_evidence_and_the_report(
    portal: Portal,
) -> None:
    portal.sign_in_as(Role.LG)
    form = {"status": "done", "narrative": "Opened.", "indicator": "places", "indicator_value": "40"}
    files = {"evidence": ("photo.jpg", b"\xff\xd8\xff\xe0 a photo", "image/jpeg")}
    key = "4b0f8f4e-2a57-4c5e-9a39-3c8d8e0f6a11"
    response = await post_form(
        portal, f"/reporting/{REC}/{MILESTONE}", form, files=files, headers={"Idempotency-Key": key}
    )
    assert response.headers["location"] == "/reporting?reported=1"
    (upload,) = portal.services.posted("/social-approaches/v1/evidence")
    assert upload.idempotency_key == key
    (report,) = portal.services.posted(REPORTS)
    assert report.idempotency_key == key
    assert report.body["evidence_ids"] == [EVIDENCE]


async def test_a_report_without_a_key_goes_as_before(portal: Portal) -> None:
    portal.sign_in_as(Role.LG)
    await post_form(portal, f"/reporting/{REC}/{MILESTONE}", {"status": "on_track"})
    (report,) = portal.services.posted(REPORTS)
    assert report.idempotency_key is None
