"""What the soak sent and what it heard back: one record per command, the answer's status or that it was lost."""

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    DONE = "done"  # answered 2xx: it happened, once
    REFUSED = "refused"  # answered 4xx: it must have left no trace
    LOST = "lost"  # no answer (timeout, connection gone) or a 5xx: it happened wholly or not at all


@dataclass(frozen=True)
class Command:
    """One request of the soak's. `effect` names the event a done command must leave on its subject's timeline
    (None: it leaves none there, e.g. a reader's or an action's)."""

    number: int
    kind: str
    method: str
    path: str
    status: int | None
    subject: str | None = None
    effect: str | None = None
    duplicate: bool = False
    invalid: bool = False

    @property
    def outcome(self) -> Outcome:
        if self.status is None or self.status >= 500:
            return Outcome.LOST
        return Outcome.DONE if self.status < 400 else Outcome.REFUSED


@dataclass
class Journal:
    commands: list[Command] = field(default_factory=list)
    # Drafts whose answer was lost, by the unique title they carried: found later or not, never half.
    lost_drafts: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)  # drafted (2xx), by id
    strangers: list[str] = field(default_factory=list)  # ids no one drafted, named by refused commands
    actions: list[str] = field(default_factory=list)  # planned (2xx), by id
    mappings: dict[str, tuple[str, str]] = field(default_factory=dict)  # started (2xx): id -> (local government, topic)

    def add(self, command: Command) -> Command:
        self.commands.append(command)
        return command

    def add_action(self, action: str) -> None:
        self.actions.append(action)

    def add_mapping(self, mapping: str, local_government: str, topic: str) -> None:
        self.mappings[mapping] = (local_government, topic)

    def next_number(self) -> int:
        return len(self.commands) + 1

    def sent_by_kind(self) -> Counter[str]:
        return Counter(c.kind for c in self.commands)

    def outcomes(self) -> Counter[Outcome]:
        return Counter(c.outcome for c in self.commands)

    def about(self, subject: str) -> list[Command]:
        return [c for c in self.commands if c.subject == subject]
