"""Which economy an association belongs to, from the reference data file the roadmaps service ships.

Events name the association only; the file is the programme's published reference (read, never a database).
"""

import json
from functools import cache
from importlib.resources import files


@cache
def economies_by_association() -> dict[str, str]:
    document = json.loads((files("services.roadmaps") / "reference_data.json").read_text("utf-8"))
    return {entry["code"]: entry["economy"] for entry in document["associations"]}


def economy_of(association: str | None) -> str | None:
    return economies_by_association().get(association) if association else None
