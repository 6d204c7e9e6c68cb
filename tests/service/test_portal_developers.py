"""The developers' page shows SoRi's events as the AsyncAPI document describes them, to anyone, in every language."""

import json
from pathlib import Path

from contracts.registry import PAYLOADS
from contracts.topics import PRODUCER_TOPICS, dlq
from sori.i18n import LANGUAGES, translations
from tests.service.portal_fakes import Portal

DOCUMENT = json.loads((Path(__file__).resolve().parents[2] / "contracts" / "asyncapi.json").read_text("utf-8"))


async def developers_page(portal: Portal) -> str:
    """The page as a reader sees its text: names break after a dot or an underscore (<wbr>), and read whole."""
    page = await portal.http.get("/developers")
    assert page.status_code == 200
    return page.text.replace("<wbr>", "")


async def test_anyone_reads_every_topic_its_dead_letter_twin_and_a_link_to_the_document(portal: Portal) -> None:
    page = await developers_page(portal)

    for topic in PRODUCER_TOPICS:
        assert f"<code>{topic}</code>" in page
        assert f"<code>{dlq(topic)}</code>" in page
    assert '<a href="/asyncapi.json">The AsyncAPI document as JSON</a>' in page


async def test_every_event_type_is_shown_with_its_payload_fields_key_and_headers(portal: Portal) -> None:
    page = await developers_page(portal)

    for event_type, payload in PAYLOADS.items():
        assert f"<code>{event_type}</code></h3>" in page
        for name in payload.model_fields:
            assert f"<code>data.{name}</code>" in page, (event_type, name)
    headers = DOCUMENT["components"]["messages"]["RecommendationSubmitted"]["headers"]["properties"]
    assert all(f"<code>{header}</code>" in page for header in headers)
    assert "<dt>Key</dt>" in page


async def test_the_page_speaks_every_language_and_keeps_technical_names(portal: Portal) -> None:
    for language in LANGUAGES:
        portal.speak(language)
        page = await developers_page(portal)
        assert f'<html lang="{language}">' in page
        assert f"<h1>{translations(language).gettext('Events for developers')}</h1>" in page
        assert "<code>sori.roadmaps.recommendation.submitted.v1</code>" in page


async def test_every_page_links_to_the_developers_page_in_its_footer(portal: Portal) -> None:
    page = (await portal.http.get("/sign-in")).text

    assert '<a href="/developers">Events for developers</a>' in page.split("<footer>")[1]
