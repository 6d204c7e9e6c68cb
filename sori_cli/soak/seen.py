"""What the stack holds at the end of a soak, as plain values: what the reconciliation compares the journal with."""

from dataclasses import dataclass, field

Move = tuple[str, str | None, str]  # cause's event type, from status, to status


@dataclass
class Recommendation:
    """One recommendation as its workflow, progress' projection and the roadmaps service each see it (None: absent)."""

    workflow_status: str | None = None
    workflow_version: int | None = None
    entries: list[tuple[str, str]] = field(default_factory=list)  # the timeline's (event id, event type)
    workflow_moves: list[Move] = field(default_factory=list)
    progress_status: str | None = None
    progress_moves: list[Move] = field(default_factory=list)
    progress_event_ids: list[str] = field(default_factory=list)
    service_status: str | None = None
    service_version: int | None = None
    notices: dict[str, int] = field(default_factory=dict)  # the association's notices about it, by kind

    @property
    def traced(self) -> bool:
        return any(s is not None for s in (self.workflow_status, self.progress_status, self.service_status))


@dataclass
class Memory:
    warm_mb: float
    end_mb: float
    same_process: bool  # False: the part was restarted since warm-up, so its two levels say nothing of a leak


@dataclass
class Seen:
    recommendations: dict[str, Recommendation] = field(default_factory=dict)
    strangers: dict[str, Recommendation] = field(default_factory=dict)  # ids only refused commands named
    lost_drafts: dict[str, str | None] = field(default_factory=dict)  # title -> id the roadmaps service holds
    action_stages: dict[str, list[str]] = field(default_factory=dict)  # id -> progress' rows' stages
    unsound_actions: int = 0  # rows of actions whose plan was refused
    mappings: dict[str, list[str]] = field(default_factory=dict)  # id -> statuses of the mappings of its topic
    dead_letters: list[str] = field(default_factory=list)  # valid events found on a .dlq: "topic: type id"
    dlq_topics: int = 0
    unpublished: dict[str, int] = field(default_factory=dict)  # service -> outbox rows not yet published
    lag: dict[str, int] = field(default_factory=dict)  # consumer group -> records not yet consumed
    replayed_rows: int = 0  # progress' rows compared with a replay of the topics
    unlike_replay: list[str] = field(default_factory=list)  # rows that differ: "table key: column live …, replayed …"
    # What the dashboard counts and what the lists count of the same thing: (what, dashboard's, list's).
    dashboard: list[tuple[str, int, int]] = field(default_factory=list)
    processes: tuple[int, int] = (0, 0)  # SoRi's processes at warm-up and at the end
    memory: dict[str, Memory] = field(default_factory=dict)
    unhealed: list[str] = field(default_factory=list)  # faults after which the stack did not get ready in time
    faults: int = 0
