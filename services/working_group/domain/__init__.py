"""Working-group rules, pure: who may act (here), reviews and meetings (reviews.py), the programme's actions and their
participants (actions.py)."""

from contracts.envelope import Actor, Role
from sori.errors import CommandRefused, RefusalKind

SERVICE = "working_group"


def require_working_group(actor: Actor) -> None:
    if actor.role is not Role.NALAS:
        raise CommandRefused(
            RefusalKind.FORBIDDEN, f"only the NALAS working group (nalas) may do this; you are {actor.role.value}"
        )


def may_read_participant(actor: Actor, organisation_code: str | None) -> bool:
    """A participant's record is for NALAS and the participant's own organisation; the rest read the counts."""
    return actor.role is Role.NALAS or (organisation_code is not None and organisation_code == actor.org)


def require_decider(actor: Actor, may_decide: bool | None) -> None:
    """A nalas actor decides unless registered as a member who may not; `may_decide` is None for non-members."""
    require_working_group(actor)
    if may_decide is False:
        raise CommandRefused(
            RefusalKind.FORBIDDEN, f"working-group member {actor.sub} is registered as one who may not decide"
        )
