"""What NALAS may decide about the public side: any item may be held back, only a recommendation published against
the rules (a withdrawn or rejected one), and both need a reason; undoing either needs none."""

from contracts.working_group import PublicItem, Visibility
from sori.errors import CommandRefused, RefusalKind


def check_decision(item_kind: PublicItem, visibility: Visibility, reason: str) -> None:
    if visibility is Visibility.PUBLISHED and item_kind is not PublicItem.RECOMMENDATION:
        raise CommandRefused(
            RefusalKind.INVALID,
            f"only a recommendation can be published against the rules; a {item_kind.value} is public by them",
        )
    if visibility is not Visibility.AS_THE_RULES_SAY and not reason:
        raise CommandRefused(RefusalKind.INVALID, f"say why the item is {visibility.value}: a reason is required")
