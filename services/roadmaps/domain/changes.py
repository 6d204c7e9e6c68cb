"""What changed between two text versions: before and after per field, and a unified diff for long texts."""

import difflib
from typing import Any

from pydantic import BaseModel

from services.roadmaps.domain.text import RecommendationText

LONG_TEXTS = frozenset({"problem_statement", "evidence", "proposed_measures"})


class FieldChange(BaseModel):
    field: str
    before: Any
    after: Any
    unified_diff: str | None = None


def unified_diff(field: str, before: str, after: str, from_version: int, to_version: int) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"{field} v{from_version}",
        tofile=f"{field} v{to_version}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def field_changes(
    before: dict[str, Any], after: dict[str, Any], from_version: int, to_version: int
) -> list[FieldChange]:
    changes = []
    for field in RecommendationText.model_fields:
        old, new = before.get(field), after.get(field)
        if old == new:
            continue
        text_diff = None
        if field in LONG_TEXTS:
            text_diff = unified_diff(field, old or "", new or "", from_version, to_version)
        changes.append(FieldChange(field=field, before=old, after=new, unified_diff=text_diff))
    return changes
