"""The invariants a soak must end with, each checked over the journal against what the stack holds: a count of
what was checked, and an example of each violation."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from contracts.roadmaps import RecommendationDrafted, RecommendationRevised
from sori_cli.soak.journal import Command, Journal, Outcome
from sori_cli.soak.seen import Recommendation, Seen

MEMORY_GROWTH = 1.2  # the end's level at most 20 % above warm-up's
# The status changes an association is told of, each in one notice of the status' name.
TOLD_TO_ASSOCIATION = ("changes_requested", "endorsed", "rejected", "implemented", "verified")
STAGES = {"plan action": "planned", "action held": "held", "action reported": "reported"}


@dataclass
class Check:
    name: str
    checked: int = 0
    violations: list[str] = field(default_factory=list)

    def expect(self, holds: bool, example: str) -> None:
        self.checked += 1
        if not holds:
            self.violations.append(example)


def _by_effect(commands: Iterable[Command], outcome: Outcome) -> Counter[str]:
    return Counter(c.effect for c in commands if c.effect and c.outcome is outcome)


def _applied(journal: Journal, seen: Seen) -> tuple[Check, Check]:
    """Per recommendation and event type: the timeline holds each 2xx command once, no refused one, and of the
    commands whose answer was lost, some number between none and all."""
    once = Check("every 2xx command reflected exactly once in the workflow's timeline")
    traceless = Check("every 4xx command left no trace")
    for rec, found in seen.recommendations.items():
        commands = journal.about(rec)
        done, lost = _by_effect(commands, Outcome.DONE), _by_effect(commands, Outcome.LOST)
        refused = _by_effect(commands, Outcome.REFUSED)
        done[RecommendationDrafted.TYPE] += rec in journal.recommendations
        lost[RecommendationDrafted.TYPE] += rec not in journal.recommendations  # a lost draft, found
        entries = Counter(kind for _, kind in found.entries)
        doubled = [i for i, n in Counter(i for i, _ in found.entries).items() if n > 1]
        if doubled:
            once.violations.append(f"{rec}: events applied twice: {doubled}")
        for kind in set(done) | set(lost) | set(refused) | set(entries):
            low, high, n = done[kind], done[kind] + lost[kind], entries[kind]
            once.checked += done[kind]
            if n < low:
                once.violations.append(f"{rec}: {done[kind]} x 2xx {kind}, {n} on the timeline")
            if refused[kind]:
                traceless.expect(n <= high, f"{rec}: {refused[kind]} x 4xx {kind}, {n} on the timeline")
            elif n > high:
                once.violations.append(f"{rec}: {done[kind]} x 2xx {kind}, {n} on the timeline")
    for rec, found in seen.strangers.items():
        traceless.expect(not found.traced, f"{rec}: refused, yet known: {found}")
    traceless.expect(seen.unsound_actions == 0, f"{seen.unsound_actions} refused action plans in progress")
    for mapping, statuses in seen.mappings.items():
        traceless.expect(len(statuses) <= 1, f"mapping {mapping}: its topic mapped {len(statuses)} times")
    traceless.checked = max(traceless.checked, journal.outcomes()[Outcome.REFUSED])
    return once, traceless


def _agree(seen: Seen) -> tuple[Check, Check, Check]:
    projected = Check("progress' projection holds the workflow's moves, each once")
    state = Check("each workflow's state equals progress' status")
    service = Check("the roadmaps service's status and version equal the workflow's")
    for rec, found in seen.recommendations.items():
        ids = found.progress_event_ids
        projected.expect(
            found.progress_moves == found.workflow_moves and len(ids) == len(set(ids)),
            f"{rec}: workflow {found.workflow_moves} / progress {found.progress_moves}",
        )
        state.expect(
            found.workflow_status == found.progress_status,
            f"{rec}: workflow {found.workflow_status}, progress {found.progress_status}",
        )
        revised = sum(kind == RecommendationRevised.TYPE for _, kind in found.entries)
        service.expect(
            found.service_status == found.workflow_status and found.service_version == 1 + revised,
            (
                f"{rec}: service {found.service_status} v{found.service_version}, "
                f"workflow {found.workflow_status} with {revised} revisions"
            ),
        )
    return projected, state, service


def _notices(seen: Seen) -> Check:
    check = Check("every status change the association hears of, in exactly one notice")
    for rec, found in seen.recommendations.items():
        told = Counter(to for _, _, to in found.workflow_moves if to in TOLD_TO_ASSOCIATION)
        check.checked += sum(told.values())
        if Counter(found.notices) != told:
            check.violations.append(f"{rec}: moves told {dict(told)}, notices {found.notices}")
    return check


def _all_or_nothing(journal: Journal, seen: Seen) -> Check:
    """A command whose answer was lost: its recommendation is whole wherever it is known (the counts and the
    agreement above judge each effect); a lost draft is either known everywhere or nowhere."""
    check = Check("every command whose answer was lost is wholly there or not at all")
    for title, rec in seen.lost_drafts.items():
        found = seen.recommendations.get(rec or "", Recommendation())
        known = (found.service_status, found.workflow_status, found.progress_status)
        whole = rec is None or None not in known
        check.expect(whole, f"draft {title!r} ({rec}): service {found.service_status}, "
                     f"workflow {found.workflow_status}, progress {found.progress_status}")  # fmt: skip
    for command in journal.commands:
        if command.outcome is Outcome.LOST and command.subject in seen.recommendations:
            found = seen.recommendations[command.subject]
            check.expect(
                found.workflow_status == found.progress_status == found.service_status,
                (
                    f"{command.kind} {command.path} lost: workflow {found.workflow_status}, "
                    f"progress {found.progress_status}, service {found.service_status}"
                ),
            )
    return check


def _programme(journal: Journal, seen: Seen) -> tuple[Check, Check]:
    actions = Check("every planned action once in progress, at its latest stage")
    for action in journal.actions:
        commands = journal.about(action)
        steps = ["planned"] + [STAGES[c.kind] for c in commands if c.outcome is Outcome.DONE]
        maybe = [STAGES[c.kind] for c in commands if c.outcome is Outcome.LOST]
        stages = seen.action_stages.get(action, [])
        actions.expect(
            len(stages) == 1 and stages[0] in {steps[-1], *maybe},
            f"action {action}: progress rows {stages}, commands answered 2xx {steps}",
        )
    mappings = Check("every started mapping once in its service, in its latest state")
    for mapping in journal.mappings:
        completed = any(c.kind == "complete mapping" and c.outcome is Outcome.DONE for c in journal.about(mapping))
        lost = any(c.kind == "complete mapping" and c.outcome is Outcome.LOST for c in journal.about(mapping))
        statuses = seen.mappings.get(mapping, [])
        allowed = {"completed"} if completed else {"draft", "completed"} if lost else {"draft"}
        mappings.expect(
            len(statuses) == 1 and statuses[0] in allowed, f"mapping {mapping}: {statuses}, expected {allowed}"
        )
    return actions, mappings


def _stack(seen: Seen) -> list[Check]:
    dlq = Check("no valid event in any .dlq")
    dlq.checked = seen.dlq_topics
    dlq.violations += seen.dead_letters
    outbox = Check("no outbox row left unpublished")
    for service, rows in seen.unpublished.items():
        outbox.expect(rows == 0, f"{service}: {rows} rows unpublished")
    processes = Check("SoRi's process count equals the start's")
    processes.expect(seen.processes[0] == seen.processes[1], f"{seen.processes[0]} → {seen.processes[1]}")
    memory = Check("memory of every SoRi process within 20 % of its level after warm-up")
    for part, level in seen.memory.items():
        if level.same_process:
            memory.expect(
                level.end_mb <= level.warm_mb * MEMORY_GROWTH,
                f"{part}: {level.warm_mb:.0f} MB after warm-up, {level.end_mb:.0f} MB at the end",
            )
    healed = Check("the stack was ready again after every fault")
    healed.checked = seen.faults
    healed.violations += seen.unhealed
    return [dlq, outbox, processes, memory, healed]


def _read_side(seen: Seen) -> list[Check]:
    lag = Check("no consumer lag left")
    for group, records in seen.lag.items():
        lag.expect(records == 0, f"{group}: {records} records not consumed")
    replay = Check("progress' tables equal a replay of the topics into empty ones")
    replay.checked = seen.replayed_rows
    replay.violations += seen.unlike_replay
    dashboard = Check("the dashboard's counts equal the lists'")
    for what, shown, listed in seen.dashboard:
        dashboard.expect(shown == listed, f"{what}: the dashboard says {shown}, the list {listed}")
    return [lag, replay, dashboard]


def in_flight(seen: Seen) -> bool:
    """Whether events are still on their way: an outbox row unpublished, or a consumer behind its topics."""
    return any(seen.unpublished.values()) or any(seen.lag.values())


def reconcile(journal: Journal, seen: Seen) -> list[Check]:
    return [
        *_applied(journal, seen),
        _all_or_nothing(journal, seen),
        *_agree(seen),
        _notices(seen),
        *_programme(journal, seen),
        *_stack(seen),
        *_read_side(seen),
    ]
