"""Working-group actions with their participant counts, and local governments' social approaches."""

from uuid import UUID

from contracts.envelope import Envelope
from contracts.social_approaches import ApproachStatusChanged
from contracts.working_group import ActionHeld, ActionPlanned, ActionReported
from services.progress.domain import is_newer
from services.progress.handlers.economies import consulting, economy_of
from services.progress.models import ACTIONS, APPROACHES
from sori.projection import Touch, concerning, projector
from sori.rows import Row, Rows


def _action(rows: Rows, action_id: UUID, kind: str) -> Row:
    row = rows.get(ACTIONS, action_id)
    if row is None:
        row = rows.add(ACTIONS, action_id=action_id, kind=kind)
    return row


def on_action_planned(rows: Rows, event: Envelope[ActionPlanned]) -> None:
    data = event.data
    row = _action(rows, data.action_id, data.kind.value)
    row["title"], row["starts_on"], row["ends_on"] = data.title, data.starts_on, data.ends_on
    row["online"], row["language"] = data.online, data.language.value


def on_action_counted(rows: Rows, event: Envelope[ActionHeld | ActionReported]) -> None:
    """Held, then reported: the latest counts stand (a report may correct what was counted when held)."""
    data = event.data
    row = _action(rows, data.action_id, data.kind.value)
    if not is_newer(row["counted_at"], event.time):
        return
    counts = data.counts
    row["stage"] = "reported" if isinstance(data, ActionReported) else "held"
    row["counted_at"], row["sessions"] = event.time, data.sessions
    row["participants"], row["attended"] = counts.participants, counts.attended
    row["participants_by_sex"] = {sex.value: n for sex, n in counts.participants_by_sex.items()}
    row["participants_by_organisation_type"] = {
        kind.value: n for kind, n in counts.participants_by_organisation_type.items()
    }


def on_approach_status_changed(rows: Rows, event: Envelope[ApproachStatusChanged]) -> None:
    data = event.data
    row = rows.get(APPROACHES, data.approach_id)
    if row is not None and not is_newer(row["updated_at"], event.time):
        return
    latest_fact = {
        "local_government": data.local_government,
        "association": data.association,
        "economy": economy_of(rows, data.association) if data.association else None,
        "approach_type": data.approach_type,
        "women_and_girls": data.women_and_girls,
        "status": data.to_status.value,
        "beneficiaries_planned": data.beneficiaries_planned,
        "beneficiaries_reached": data.beneficiaries_reached,
        "updated_at": event.time,
    }
    if row is None:
        rows.add(APPROACHES, approach_id=data.approach_id, **latest_fact)
    else:
        row.update(latest_fact)


def _approach(event: Envelope[ApproachStatusChanged]) -> list[Touch]:
    return [(APPROACHES, event.data.approach_id), *consulting(event.data.association)]


_ACTION = concerning(ACTIONS, "action_id")
PROJECTORS = (
    projector(ActionPlanned, on_action_planned, _ACTION),
    projector(ActionHeld, on_action_counted, _ACTION),
    projector(ActionReported, on_action_counted, _ACTION),
    projector(ApproachStatusChanged, on_approach_status_changed, _approach),
)
