"""Writes the JSON Schema of every published event type to contracts/schemas/ (python -m contracts.schemas_export)."""

import json
from pathlib import Path
from typing import Any

from contracts.registry import PAYLOADS

SCHEMA_DIR = Path(__file__).parent / "schemas"


def schema_documents() -> dict[str, dict[str, Any]]:
    return {event_type: model.model_json_schema() for event_type, model in sorted(PAYLOADS.items())}


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def main() -> None:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for event_type, document in schema_documents().items():
        (SCHEMA_DIR / f"{event_type}.json").write_text(render(document))


if __name__ == "__main__":
    main()
