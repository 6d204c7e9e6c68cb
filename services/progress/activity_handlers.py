"""Working-group actions with their participant counts, and local governments' social approaches."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Envelope
from contracts.social_approaches import ApproachStatusChanged
from contracts.working_group import ActionHeld, ActionPlanned, ActionReported
from services.progress.domain import is_newer
from services.progress.models import ActionProgress, SocialApproachProgress
from services.progress.reference import economy_of
from sori.service import EventHandler


async def _action(session: AsyncSession, action_id: UUID, kind: str) -> ActionProgress:
    row = await session.get(ActionProgress, action_id)
    if row is None:
        row = ActionProgress(action_id=action_id, kind=kind)
        session.add(row)
    return row


async def on_action_planned(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    assert isinstance(data, ActionPlanned)
    row = await _action(session, data.action_id, data.kind.value)
    row.title, row.starts_on, row.ends_on = data.title, data.starts_on, data.ends_on
    row.online, row.language = data.online, data.language.value


async def on_action_counted(session: AsyncSession, event: Envelope) -> None:
    """Held, then reported: the latest counts stand (a report may correct what was counted when held)."""
    data = event.data
    assert isinstance(data, ActionHeld | ActionReported)
    row = await _action(session, data.action_id, data.kind.value)
    if not is_newer(row.counted_at, event.time):
        return
    counts = data.counts
    row.stage = "reported" if isinstance(data, ActionReported) else "held"
    row.counted_at, row.sessions = event.time, data.sessions
    row.participants, row.attended = counts.participants, counts.attended
    row.participants_by_sex = {sex.value: n for sex, n in counts.participants_by_sex.items()}
    row.participants_by_organisation_type = {
        kind.value: n for kind, n in counts.participants_by_organisation_type.items()
    }


async def on_approach_status_changed(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    assert isinstance(data, ApproachStatusChanged)
    row = await session.get(SocialApproachProgress, data.approach_id)
    if row is not None and not is_newer(row.updated_at, event.time):
        return
    latest_fact = {
        "local_government": data.local_government,
        "association": data.association,
        "economy": economy_of(data.association),
        "approach_type": data.approach_type,
        "women_and_girls": data.women_and_girls,
        "status": data.to_status.value,
        "beneficiaries_planned": data.beneficiaries_planned,
        "beneficiaries_reached": data.beneficiaries_reached,
        "updated_at": event.time,
    }
    if row is None:
        session.add(SocialApproachProgress.model_validate({"approach_id": data.approach_id, **latest_fact}))
    else:
        row.sqlmodel_update(latest_fact)


HANDLERS: dict[str, EventHandler] = {
    ActionPlanned.TYPE: on_action_planned,
    ActionHeld.TYPE: on_action_counted,
    ActionReported.TYPE: on_action_counted,
    ApproachStatusChanged.TYPE: on_approach_status_changed,
}
