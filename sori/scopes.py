"""Who reads a local government's records: the rule its owning service and progress both apply (README *Security*).

NALAS and observers read every local government's, an association (lga) its own local governments', a local
government (lg) its own. It is data about the actor, so services that must not import each other share it.
"""

from dataclasses import dataclass

from contracts.envelope import Actor, Role
from sori.errors import CommandRefused, RefusalKind


@dataclass(frozen=True)
class Scope:
    """What an actor may read: everything, one association's local governments, or one local government."""

    association: str | None = None
    local_government: str | None = None

    def covers(self, local_government: str, association: str | None) -> bool:
        if self.local_government is not None:
            return local_government == self.local_government
        if self.association is not None:
            return association == self.association
        return True


def reading_scope(actor: Actor) -> Scope:
    if actor.role is Role.LGA:
        return Scope(association=actor.org)
    if actor.role is Role.LG:
        return Scope(local_government=actor.org)
    return Scope()


def require_reader(actor: Actor, local_government: str, association: str | None) -> None:
    """nalas and observers read all; an association reads its local governments'; a local government its own."""
    if actor.role in (Role.NALAS, Role.OBSERVER):
        return
    if actor.role is Role.LGA and association != actor.org:
        owner = f"association {association}" if association else "no association known to this service"
        raise CommandRefused(RefusalKind.FORBIDDEN, f"{local_government} belongs to {owner}; you act for {actor.org}")
    if actor.role is Role.LG and local_government != actor.org:
        raise CommandRefused(
            RefusalKind.FORBIDDEN, f"a local government reads only its own records: this is {local_government}'s"
        )
