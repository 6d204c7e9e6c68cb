"""The JSON Schemas checked in under contracts/schemas/ are the ones the payload models produce; a retired version's
schema stays as it was (its events are still on the topics)."""

import pytest

from contracts.registry import PAYLOADS
from contracts.schemas_export import SCHEMA_DIR, render, schema_documents
from contracts.upcasting import UPCASTERS

pytestmark = pytest.mark.unit

REGENERATE = "run `python -m contracts.schemas_export` and commit contracts/schemas/"


def test_schema_documents_has_one_document_per_event_type() -> None:
    assert set(schema_documents()) == set(PAYLOADS)


def test_schema_directory_holds_exactly_one_file_per_event_type() -> None:
    expected = {f"{event_type}.json" for event_type in [*schema_documents(), *UPCASTERS]}
    present = {path.name for path in SCHEMA_DIR.iterdir()}

    missing = sorted(expected - present)
    extra = sorted(present - expected)
    assert not missing, f"contracts/schemas/ lacks {missing}: {REGENERATE}"
    assert not extra, f"contracts/schemas/ has files for no event type {extra}: delete them, then {REGENERATE}"


@pytest.mark.parametrize("event_type", sorted(PAYLOADS))
def test_checked_in_schema_is_what_the_payload_model_renders(event_type: str) -> None:
    path = SCHEMA_DIR / f"{event_type}.json"
    assert path.is_file(), f"{path.name} is missing: {REGENERATE}"

    assert path.read_text() == render(schema_documents()[event_type]), f"{path.name} is out of date: {REGENERATE}"
