"""What every service's API takes in a body: each field bounded, each text under the shared rules, as documented."""

import secrets
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from contracts.text import MultiLine, SingleLine
from sori.kafka import make_broker
from sori.settings import Settings
from tests.bounds import Node, nodes, references, unbounded

SERVICES = ["roadmaps", "working_group", "social_approaches", "progress", "notifications"]
TEXT_PATTERNS = {f"^[^{SingleLine.controls}]*$", f"^[^{MultiLine.controls}]*$"}


@cache
def openapi(service: str, home: Path) -> dict[str, Any]:
    module = __import__(f"services.{service}.app", fromlist=["create_app"])
    settings = Settings(SORI_HOME=home, DATABASE_URL=None, SORI_SECRET=secrets.token_urlsafe(32))
    document: dict[str, Any] = module.create_app(settings, make_broker(settings, client_id="test")).openapi()
    return document


def bodies(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for media, content in operation.get("requestBody", {}).get("content", {}).items():
                yield f"{method.upper()} {path} ({media})", content["schema"]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    return references("#/components/schemas/", document.get("components", {}).get("schemas", {}))


@pytest.mark.parametrize("service", SERVICES)
def test_every_string_list_and_map_a_body_takes_is_bounded(service: str, home: Path) -> None:
    document = openapi(service, home / service)

    found = [
        f"{operation}: {place}" for operation, body in bodies(document) for place in unbounded(body, schemas(document))
    ]

    assert not found, "\n".join(found)


@pytest.mark.parametrize("service", SERVICES)
def test_every_text_a_body_takes_follows_the_shared_rules(service: str, home: Path) -> None:
    document = openapi(service, home / service)

    found = [
        f"{operation}: {node.where}: {problem}"
        for operation, body in bodies(document)
        for node in nodes(body, schemas(document))
        if node.free_text
        for problem in text_problems(node)
    ]

    assert not found, "\n".join(found)


def text_problems(node: Node) -> Iterator[str]:
    if node.schema.get("format") in ("uri", "email"):
        return  # parsed as what its format says, which leaves no room for a control character
    pattern = node.schema.get("pattern")
    if pattern is not None and pattern not in TEXT_PATTERNS:
        return  # a formatted value (an SDG target, a hash): its own pattern says exactly what it holds
    if pattern is None:
        yield "not a SingleLine or MultiLine text (control characters pass)"
    if node.required and node.schema.get("minLength", 0) < 1:
        yield "required, yet may be empty or blank"
