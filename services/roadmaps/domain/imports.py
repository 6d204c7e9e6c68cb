"""What importing a roadmap's sheet does to each row — new draft, new version of a draft, nothing — and every problem
that stops it, by row and column. Pure: the caller reads what the rows name and writes what the plan says."""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from contracts.envelope import Actor
from contracts.lifecycle import RecommendationStatus
from services.roadmaps import domain
from services.roadmaps.domain.text import RecommendationText
from sori.errors import CommandRefused
from sori.sheets import Problem, ProblemKind, RowAction, RowOutcome


@dataclass(frozen=True)
class Existing:
    """What the plan needs of a recommendation a row names."""

    roadmap_id: UUID
    association: str
    status: RecommendationStatus
    text: dict[str, Any]


@dataclass(frozen=True)
class Step:
    row: int
    action: RowAction
    id: UUID | None
    text: RecommendationText


@dataclass(frozen=True)
class Plan:
    steps: list[Step]
    problems: list[Problem]

    def outcomes(self) -> list[RowOutcome]:
        return [
            RowOutcome(row=s.row, action=s.action, id=str(s.id) if s.id else None, label=s.text.title)
            for s in self.steps
        ]


@dataclass(frozen=True)
class ReadRecommendation:
    """A sheet's row read as a recommendation: its id if it names one, the codes it names, and its text, or the row's
    problems."""

    row: int
    id: UUID | None
    groups: list[str]
    topics: list[str]
    text: RecommendationText | None
    problems: list[Problem]


def plan(
    actor: Actor,
    roadmap_id: UUID,
    rows: Sequence[ReadRecommendation],
    existing: Mapping[UUID, Existing],
    known_groups: Collection[str],
    known_topics: Collection[str],
) -> Plan:
    """Each row's step, or its problems: unknown codes, an id that is not a draft of this roadmap, an id named twice."""
    steps: list[Step] = []
    problems: list[Problem] = []
    seen: dict[UUID, int] = {}
    for row in rows:
        found = [*row.problems]
        found += _unknown(row.row, "target_groups", "vulnerable groups", row.groups, known_groups)
        found += _unknown(row.row, "topics", "social topics", row.topics, known_topics)
        if row.id is not None:
            if row.id in seen:
                found.append(
                    Problem(
                        row=row.row, column="id", kind=ProblemKind.REPEATED, problem=f"row {seen[row.id]} names it too"
                    )
                )
            seen.setdefault(row.id, row.row)
            found += _updatable(actor, row.row, roadmap_id, row.id, existing.get(row.id))
        problems += found
        if found or row.text is None:
            continue
        steps.append(Step(row.row, _action(row.id, row.text, existing), row.id, row.text))
    return Plan(steps, problems)


def _action(recommendation_id: UUID | None, text: RecommendationText, existing: Mapping[UUID, Existing]) -> RowAction:
    if recommendation_id is None:
        return RowAction.NEW
    same = existing[recommendation_id].text == text.model_dump(mode="json")
    return RowAction.UNCHANGED if same else RowAction.UPDATED


def _unknown(row: int, column: str, kind: str, codes: Sequence[str], known: Collection[str]) -> list[Problem]:
    unknown = [code for code in codes if code not in known]
    if not unknown:
        return []
    said = f"unknown {kind}: {', '.join(unknown)} (see the sheet `codes`)"
    return [Problem(row=row, column=column, kind=ProblemKind.UNKNOWN_CODE, problem=said)]


def _updatable(
    actor: Actor, row: int, roadmap_id: UUID, recommendation_id: UUID, found: Existing | None
) -> list[Problem]:
    if found is None or found.roadmap_id != roadmap_id:
        said = f"no recommendation {recommendation_id} in this roadmap"
        return [Problem(row=row, column="id", kind=ProblemKind.NOT_IN_ROADMAP, problem=said)]
    try:
        domain.require_editable(actor, association=found.association, status=found.status)
    except CommandRefused as refused:
        return [Problem(row=row, column="id", kind=ProblemKind.NOT_EDITABLE, problem=refused.reason)]
    return []
