"""The open data's tables: each a list of records with stable identifiers and links, written as JSON and as CSV, and
described once — field by field — for both the CSV files and the Frictionless Data Package that lists them.

A count by sex below five is the text "<5" in either form; the table schemas declare it a missing value, so that a
count column stays an integer column to any Frictionless reader.
"""

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final

from contracts.working_group import Sex
from services.progress.public.rules import FEW, WITHHELD, Shown
from services.progress.public.selection import (
    PublicAction,
    PublicActual,
    PublicApproach,
    PublicIndicator,
    PublicMilestone,
    PublicProgramme,
    PublicRecommendation,
)

Record = dict[str, Any]
# Where the public page of a recommendation will be (its pages come under /public), from the site's base URL.
PAGE: Final = "{base}/public/recommendations/{id}"
SEXES: Final = tuple(sex.value for sex in Sex)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date, datetime
    description: str
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    records: Callable[[PublicProgramme, str], list[Record]]

    @property
    def key(self) -> str:
        return self.columns[0].name


def moment(at: datetime | None) -> str | None:
    """A UTC moment as ISO 8601 to the second, as Table Schema's default datetime format reads it."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if at else None


def day(on: date | None) -> str | None:
    return on.isoformat() if on else None


def _by_sex(counts: Mapping[str, Shown], prefix: str) -> Record:
    return {f"{prefix}{sex}": counts.get(sex) for sex in SEXES}


def _sex_columns(prefix: str, what: str) -> tuple[Column, ...]:
    return tuple(
        Column(
            f"{prefix}{sex}",
            "number",
            f'{what} of sex {sex} ("{FEW}" when below five; "{WITHHELD}" when, with the total, it would give one '
            "below five away; empty when not given)",
        )
        for sex in SEXES
    )


def _recommendation(r: PublicRecommendation, base: str) -> Record:
    return {
        "id": str(r.id),
        "code": r.code,
        "title": r.title,
        "language": r.language,
        "status": r.status.value,
        "programme": r.programme,
        "association": r.association,
        "economy": r.economy,
        "roadmap_id": str(r.roadmap_id) if r.roadmap_id else None,
        "endorsed_version": r.endorsed_version,
        "local_governments": " ".join(r.local_governments),
        "endorsed_at": moment(r.decided_at),
        "implemented_at": moment(r.implemented_at),
        "verified_at": moment(r.verified_at),
        "updated_at": moment(r.updated_at),
        "url": PAGE.format(base=base, id=r.id),
    }


def _milestone(m: PublicMilestone, base: str) -> Record:
    return {
        "id": str(m.id),
        "recommendation_id": str(m.recommendation_id),
        "local_government": m.local_government,
        "title": m.title,
        "due_date": day(m.due_date),
        "state": m.state.value,
        "reported_at": moment(m.reported_at),
        "url": PAGE.format(base=base, id=m.recommendation_id),
    }


def _indicator(i: PublicIndicator, base: str) -> Record:
    return {
        "id": str(i.id),
        "recommendation_id": str(i.recommendation_id),
        "name": i.name,
        "milestone_ids": " ".join(str(m) for m in i.milestone_ids),
        "actuals": len(i.actuals),
        "url": PAGE.format(base=base, id=i.recommendation_id),
    }


def _actual(a: PublicActual, base: str) -> Record:
    return {
        "id": str(a.id),
        "indicator_id": str(a.indicator_id),
        "recommendation_id": str(a.recommendation_id),
        "milestone_id": str(a.milestone_id),
        "local_government": a.local_government,
        "value": a.value,
        **_by_sex(a.by_sex, "value_"),
        "reported_at": moment(a.reported_at),
        "approved": a.approved,
        "url": PAGE.format(base=base, id=a.recommendation_id),
    }


def _action(a: PublicAction, _base: str) -> Record:
    return {
        "id": str(a.id),
        "kind": a.kind,
        "title": a.title,
        "language": a.language,
        "starts_on": day(a.starts_on),
        "ends_on": day(a.ends_on),
        "online": a.online,
        "stage": a.stage,
        "sessions": a.sessions,
        "participants": a.participants,
        "attended": a.attended,
        **_by_sex(a.participants_by_sex, "participants_"),
    }


def _approach(a: PublicApproach, _base: str) -> Record:
    return {
        "id": str(a.id),
        "local_government": a.local_government,
        "association": a.association,
        "economy": a.economy,
        "approach_type": a.approach_type,
        "women_and_girls": a.women_and_girls,
        "status": a.status,
        "beneficiaries_planned": a.beneficiaries_planned,
        "beneficiaries_reached": a.beneficiaries_reached,
        "updated_at": moment(a.updated_at),
    }


ID = "stable identifier (UUID)"
LINK = "the recommendation's public page"
TABLES: Final = (
    Table(
        "recommendations",
        "Recommendations",
        "Recommendations of the associations' roadmaps from their endorsement by the NALAS working group on.",
        (
            Column("id", "string", ID, required=True),
            Column("code", "string", "the association's code of the recommendation, e.g. ZELS-2026-01"),
            Column("title", "string", "its title in the language it was written in (empty: revised since drafting)"),
            Column("language", "string", "BCP 47 tag of the title's language"),
            Column("status", "string", "endorsed, in_implementation, implemented or verified", required=True),
            Column("programme", "string", "the programme (phase) it belongs to"),
            Column("association", "string", "code of the association of local governments whose roadmap holds it"),
            Column("economy", "string", "ISO 3166-1 alpha-2 code of the association's economy (XK: Kosovo)"),
            Column("roadmap_id", "string", "identifier of the association's roadmap"),
            Column("endorsed_version", "integer", "the text version the working group endorsed"),
            Column("local_governments", "string", "codes of the local governments implementing it, space-separated"),
            Column("endorsed_at", "datetime", "when the working group endorsed it (UTC)"),
            Column("implemented_at", "datetime", "when its implementation was completed (UTC)"),
            Column("verified_at", "datetime", "when the working group verified the implementation (UTC)"),
            Column("updated_at", "datetime", "when its status last changed (UTC)", required=True),
            Column("url", "string", LINK, required=True),
        ),
        lambda p, base: [_recommendation(r, base) for r in p.recommendations],
    ),
    Table(
        "milestones",
        "Milestones",
        "The implementation plan of each public recommendation: one milestone per local government and step.",
        (
            Column("id", "string", ID, required=True),
            Column("recommendation_id", "string", "the recommendation it implements", required=True),
            Column("local_government", "string", "code of the local government that carries it out", required=True),
            Column("title", "string", "what is to be done, in the association's words"),
            Column("due_date", "date", "when it is due"),
            Column("state", "string", "planned, on_track, at_risk, done or overdue", required=True),
            Column("reported_at", "datetime", "when its latest progress report came (UTC)"),
            Column("url", "string", LINK, required=True),
        ),
        lambda p, base: [_milestone(m, base) for m in p.milestones],
    ),
    Table(
        "indicators",
        "Indicators",
        "What each public recommendation's milestones measure; each is named within its recommendation.",
        (
            Column("id", "string", ID + ", derived from the recommendation and the name", required=True),
            Column("recommendation_id", "string", "the recommendation it measures", required=True),
            Column("name", "string", "the indicator, as the plan names it", required=True),
            Column("milestone_ids", "string", "the milestones that report it, space-separated"),
            Column("actuals", "integer", "how many reported values it has (see actuals)", required=True),
            Column("url", "string", LINK, required=True),
        ),
        lambda p, base: [_indicator(i, base) for i in p.indicators],
    ),
    Table(
        "actuals",
        "Indicator actuals",
        "Values of the indicators as the local governments reported them with their milestones.",
        (
            Column("id", "string", ID, required=True),
            Column("indicator_id", "string", "the indicator (see indicators)", required=True),
            Column("recommendation_id", "string", "the recommendation", required=True),
            Column("milestone_id", "string", "the milestone whose report gave it", required=True),
            Column("local_government", "string", "code of the reporting local government", required=True),
            Column("value", "number", "the value reported", required=True),
            *_sex_columns("value_", "the part of the value"),
            Column("reported_at", "datetime", "when it was reported (UTC)", required=True),
            Column("approved", "boolean", "whether the working group has verified the implementation", required=True),
            Column("url", "string", LINK, required=True),
        ),
        lambda p, base: [_actual(a, base) for a in p.actuals],
    ),
    Table(
        "actions",
        "Working-group actions",
        "The programme's capacity-building actions (trainings, courses, visits, conferences) with participant counts.",
        (
            Column("id", "string", ID, required=True),
            Column("kind", "string", "training_cycle, e_learning_course, study_visit, …", required=True),
            Column("title", "string", "its title"),
            Column("language", "string", "BCP 47 tag of the language it is held in"),
            Column("starts_on", "date", "first day"),
            Column("ends_on", "date", "last day"),
            Column("online", "boolean", "whether it is held online"),
            Column("stage", "string", "planned, held or reported", required=True),
            Column("sessions", "integer", "sessions of a training cycle", required=True),
            Column("participants", "integer", f'participants ("{FEW}" when below five)'),
            Column("attended", "integer", f'participants who attended ("{FEW}" when below five)'),
            *_sex_columns("participants_", "participants"),
        ),
        lambda p, base: [_action(a, base) for a in p.actions],
    ),
    Table(
        "social-approaches",
        "Social approaches",
        "Local governments' social approaches (services and measures for vulnerable groups), counts only.",
        (
            Column("id", "string", ID, required=True),
            Column("local_government", "string", "code of the local government", required=True),
            Column("association", "string", "code of its association"),
            Column("economy", "string", "ISO 3166-1 alpha-2 code of its economy (XK: Kosovo)"),
            Column("approach_type", "string", "the kind of approach", required=True),
            Column("women_and_girls", "boolean", "marked as addressing women and girls", required=True),
            Column("status", "string", "planned, in_progress or implemented", required=True),
            Column("beneficiaries_planned", "integer", "people it plans to reach", required=True),
            Column("beneficiaries_reached", "integer", "people it has reached", required=True),
            Column("updated_at", "datetime", "when it last changed (UTC)", required=True),
        ),
        lambda p, base: [_approach(a, base) for a in p.approaches],
    ),
)


def json_bytes(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def as_json(table: Table, programme: PublicProgramme, base: str) -> bytes:
    return json_bytes({"name": table.name, "description": table.description, "data": table.records(programme, base)})


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_csv(table: Table, programme: PublicProgramme, base: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for record in table.records(programme, base):
        writer.writerow([_cell(record[c.name]) for c in table.columns])
    return out.getvalue().encode()


def datapackage(license_id: str, updated_at: datetime | None, tables: Sequence[Table] = TABLES) -> bytes:
    """The Frictionless Data Package (v1) describing every CSV file, its fields and the licence."""
    package = {
        "profile": "tabular-data-package",
        "name": "sori-open-data",
        "title": "SoRi: the NALAS social inclusion roadmaps, open data",
        "description": "What the associations of local governments recommended, what the NALAS working group "
        "endorsed, and what was done: milestones, indicators and their values, the working group's actions and "
        "local governments' social approaches. Never drafts, comments, people or counts by sex below five.",
        "licenses": [{"name": license_id, "path": f"https://spdx.org/licenses/{license_id}.html"}],
        **({"created": moment(updated_at)} if updated_at else {}),
        "resources": [
            {
                "name": table.name,
                "title": table.title,
                "description": table.description,
                "path": f"{table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {
                            "name": c.name,
                            "type": c.type,
                            "description": c.description,
                            **({"constraints": {"required": True}} if c.required else {}),
                        }
                        for c in table.columns
                    ],
                    "primaryKey": [table.key],
                    "missingValues": ["", FEW, WITHHELD],
                },
            }
            for table in tables
        ],
    }
    return json_bytes(package)
