"""The two forms an event may have on a topic or in an outbox, read into the envelope's fields.

Since CloudEvents, producers write a CloudEvent 1.0 (`Envelope.to_json`); before, they wrote the envelope as it is
in Python: `correlation_id`, `causation_id`, an `actor` object, a bare service name as `source`, no `specversion`.
Topics and outboxes keep what older code wrote, and a refill or `sori replay` sends it again, so both are read, and
the same facts read the same in either form.
"""

from typing import Any

from contracts.envelope import DATA_CONTENT_TYPE, SPECVERSION, source_of

Document = dict[str, Any]

# Envelope field -> CloudEvents attribute, where they differ (the actor's three are its own).
ATTRIBUTES = {"correlation_id": "correlationid", "causation_id": "causationid"}
ACTOR_ATTRIBUTES = {"sub": "actorsub", "org": "actororg", "role": "actorrole"}
# Attributes the envelope keeps under their own names. It writes `datacontenttype` and `dataschema` again from its
# type, and other extension attributes (say, one a router added on the way) are no concern of SoRi's.
KEPT = ("id", "source", "type", "subject", "time", "data")


class UnreadableForm(ValueError):
    """A CloudEvent SoRi does not read: of another specversion, or with data that is not JSON."""


def envelope_fields(document: Document) -> Document:
    """The envelope's fields of a document in either form; the fields' values are checked by the envelope."""
    if "specversion" not in document:
        return _of_the_envelope_before_cloudevents(document)
    if document["specversion"] != SPECVERSION:
        raise UnreadableForm(f"specversion {document['specversion']!r} is not {SPECVERSION!r}")
    content_type = document.get("datacontenttype", DATA_CONTENT_TYPE)
    if content_type != DATA_CONTENT_TYPE:
        raise UnreadableForm(f"datacontenttype {content_type!r} is not {DATA_CONTENT_TYPE!r}")
    fields = {name: document[name] for name in KEPT if name in document}
    fields |= {field: document[attribute] for field, attribute in ATTRIBUTES.items() if attribute in document}
    actor = {part: document[attribute] for part, attribute in ACTOR_ATTRIBUTES.items() if attribute in document}
    return {**fields, "actor": actor}


def _of_the_envelope_before_cloudevents(document: Document) -> Document:
    source = document.get("source")
    if isinstance(source, str) and source and not source.startswith("/"):
        # Then a service's bare name: today's events name it by a URI reference.
        return {**document, "source": source_of(source)}
    return document


def attribute_of(field: str) -> str:
    """How a CloudEvent names an envelope's field, for a refusal's reason."""
    if field.startswith("actor."):
        return ACTOR_ATTRIBUTES.get(field.removeprefix("actor."), field)
    return ATTRIBUTES.get(field, field)
