"""contracts/asyncapi.json is what the contracts and the consumers build, names every registered event type, says
who sends and who receives each, and the official AsyncAPI parser (@asyncapi/parser, run with Node) accepts it."""

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from contracts.envelope import TYPE_HEADER
from contracts.lifecycle import StatusChanged
from contracts.registry import PAYLOADS
from contracts.roadmaps import RecommendationSubmitted
from sori_cli.asyncapi import DOCUMENT, asyncapi_document, render

pytestmark = pytest.mark.unit

CHECKER = Path(__file__).resolve().parents[1] / "asyncapi"


def parse(document: dict[str, Any], tmp_path: Path) -> tuple[int, dict[str, Any]]:
    path = tmp_path / "asyncapi.json"
    path.write_text(render(document))
    checked = subprocess.run(
        ["node", str(CHECKER / "validate.mjs"), str(path)], capture_output=True, text=True, check=False
    )
    assert checked.stdout, checked.stderr
    return checked.returncode, json.loads(checked.stdout)


def operations_on(document: dict[str, Any], action: str, message: str) -> set[str]:
    return {
        name
        for name, operation in document["operations"].items()
        if operation["action"] == action and any(ref["$ref"].endswith(f"/{message}") for ref in operation["messages"])
    }


def test_the_checked_in_document_is_what_the_code_builds() -> None:
    assert DOCUMENT.read_text("utf-8") == render(asyncapi_document()), "run `sori asyncapi` and commit the file"


def test_the_official_parser_accepts_it_and_finds_every_registered_type(tmp_path: Path) -> None:
    code, parsed = parse(asyncapi_document(), tmp_path)
    errors = [d for d in parsed["diagnostics"] if d["severity"] == 0]
    assert (code, parsed["valid"], errors) == (0, True, [])
    assert set(parsed["messages"]) == set(PAYLOADS) | {"dead-letter"}


def test_the_parser_refuses_a_message_whose_payload_schema_is_missing(tmp_path: Path) -> None:
    document = asyncapi_document()
    del document["components"]["schemas"]["StatusChanged"]
    code, parsed = parse(document, tmp_path)
    assert code == 1
    assert not parsed["valid"]


def test_each_type_is_sent_by_its_producer_and_received_by_its_consumers() -> None:
    document = asyncapi_document()
    assert operations_on(document, "send", "StatusChanged") == {"workflowsSendsLifecycleV1"}
    assert {"progressReceivesLifecycleV1", "workingGroupReceivesLifecycleV1"} <= operations_on(
        document, "receive", "StatusChanged"
    )
    assert operations_on(document, "send", "RecommendationSubmitted") == {"roadmapsSendsRoadmapsV1"}
    assert "lifecycleBridgeReceivesRoadmapsV1" in operations_on(document, "receive", "RecommendationSubmitted")


def test_a_message_carries_its_type_and_its_payloads_schema() -> None:
    message = asyncapi_document()["components"]["messages"]["StatusChanged"]
    assert message["name"] == StatusChanged.TYPE
    assert message["headers"]["properties"][TYPE_HEADER]["const"] == StatusChanged.TYPE
    assert message["headers"]["properties"]["content-type"]["const"] == "application/cloudevents+json"
    assert {"$ref": "#/components/schemas/StatusChanged"} in [
        part["properties"]["data"] for part in message["payload"]["allOf"] if "properties" in part
    ]
    assert RecommendationSubmitted.__name__ in asyncapi_document()["components"]["schemas"]
