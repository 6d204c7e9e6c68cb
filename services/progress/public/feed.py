"""The Atom feed (RFC 4287) of public changes, for people who follow the programme without an account: each entry a
public recommendation endorsed, implemented or verified, the latest first."""

from datetime import UTC, datetime
from typing import Final

from lxml import etree

from services.progress.public.data import PAGE, moment
from services.progress.public.selection import PublicChange, PublicProgramme, PublicRecommendation

ATOM: Final = "http://www.w3.org/2005/Atom"
XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
ENTRIES: Final = 100
# A feed with nothing in it yet still says when it was updated: at the start of time, so its bytes stay the same.
NEVER: Final = datetime(1970, 1, 1, tzinfo=UTC)
WORDS: Final = {"endorsed": "endorsed", "implemented": "implemented", "verified": "verified as implemented"}


def _add(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def _entry(feed: etree._Element, change: PublicChange, recommendation: PublicRecommendation, base: str) -> None:
    entry = _add(feed, "entry")
    if recommendation.language and recommendation.title:
        entry.set(XML_LANG, recommendation.language)
    what = WORDS[change.to_status.value]
    name = recommendation.code or str(recommendation.id)
    _add(entry, "id", f"urn:uuid:{change.id}")
    _add(entry, "title", f"{name} {what}" + (f": {recommendation.title}" if recommendation.title else ""))
    _add(entry, "updated", moment(change.at))
    _add(entry, "link", rel="alternate", href=PAGE.format(base=base, id=recommendation.id))
    _add(entry, "category", term=change.to_status.value)
    where = ", ".join(filter(None, (recommendation.association, recommendation.economy)))
    _add(entry, "summary", f"Recommendation {name} ({where}) was {what} on {change.at.date().isoformat()}.")


def atom(programme: PublicProgramme, base: str) -> bytes:
    recommendations = {r.id: r for r in programme.recommendations}
    changes = programme.changes[:ENTRIES]
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    feed.set(XML_LANG, "en")
    self_link = f"{base}/public/data/changes.atom"
    _add(feed, "id", self_link)
    _add(feed, "title", "SoRi: recommendations endorsed, implemented and verified")
    _add(feed, "updated", moment(changes[0].at if changes else NEVER))
    author = _add(feed, "author")
    _add(author, "name", "NALAS")
    _add(feed, "link", rel="self", href=self_link, type="application/atom+xml")
    _add(feed, "link", rel="alternate", href=f"{base}/public")
    for change in changes:
        _entry(feed, change, recommendations[change.recommendation_id], base)
    return bytes(etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True))
