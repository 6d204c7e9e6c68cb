"""The soak's reconciliation over a recorded run: a whole, consistent run passes every invariant; an effect missing,
doubled, left by a refused command, or half there after a lost answer is reported with its example, and so are a
consumer behind its topics, a projection row unlike a replay's and a dashboard that miscounts."""

from contracts.roadmaps import RecommendationDrafted, RecommendationSubmitted
from contracts.working_group import RecommendationEndorsed, ReviewStarted
from sori.rows import Row
from sori_cli.soak.journal import Command, Journal
from sori_cli.soak.reconcile import TOLD_TO_ASSOCIATION, Check, in_flight, reconcile
from sori_cli.soak.replayed import Rows, differences
from sori_cli.soak.seen import Memory, Move, Recommendation, Seen

REC = "6f1c2b7e-0000-4000-8000-000000000001"
STEPS = [
    ("submit", RecommendationSubmitted.TYPE, "drafted", "submitted"),
    ("review", ReviewStarted.TYPE, "submitted", "under_review"),
    ("decide", RecommendationEndorsed.TYPE, "under_review", "endorsed"),
]


def recorded(*statuses: int | None) -> Journal:
    """ZELS drafted REC (2xx), then submitted it, the working group reviewed and endorsed it, answered `statuses`."""
    journal = Journal(recommendations=[REC])
    journal.add(Command(1, "draft", "POST", "/roadmaps/v1/roadmaps/r/recommendations", 201, None,
                        RecommendationDrafted.TYPE))  # fmt: skip
    for (kind, effect, _, _), status in zip(STEPS, statuses, strict=True):
        journal.add(Command(journal.next_number(), kind, "POST", f"/{kind}", status, REC, effect))
    return journal


def holding(steps: int, *extra: tuple[str, str, str | None, str]) -> Seen:
    """The stack with REC drafted and its first `steps` steps applied everywhere, plus `extra` events."""
    applied: list[tuple[str, str, str | None, str]] = [("e0", RecommendationDrafted.TYPE, None, "drafted")]
    applied += [(f"e{n + 1}", effect, frm, to) for n, (_, effect, frm, to) in enumerate(STEPS[:steps])]
    applied += list(extra)
    moves: list[Move] = [(kind, frm, to) for _, kind, frm, to in applied]
    status = moves[-1][2]
    found = Recommendation(
        workflow_status=status,
        workflow_version=1,
        entries=[(event, kind) for event, kind, _, _ in applied],
        workflow_moves=moves,
        progress_status=status,
        progress_moves=moves,
        progress_event_ids=[event for event, *_ in applied],
        service_status=status,
        service_version=1,
        notices={to: 1 for _, _, to in moves if to in TOLD_TO_ASSOCIATION},
    )
    return Seen(
        recommendations={REC: found},
        unpublished={"roadmaps": 0},
        processes=(9, 9),
        memory={"progress": Memory(100.0, 110.0, same_process=True)},
        dlq_topics=4,
    )


def violated(checks: list[Check]) -> dict[str, list[str]]:
    return {c.name: c.violations for c in checks if c.violations}


def test_a_whole_consistent_run_passes_every_invariant() -> None:
    checks = reconcile(recorded(201, 200, 200), holding(3))

    assert violated(checks) == {}
    checked = {c.name: c.checked for c in checks}
    assert checked["every 2xx command reflected exactly once in the workflow's timeline"] == 4
    assert checked["each workflow's state equals progress' status"] == 1


def test_an_answered_command_missing_from_the_timeline_is_a_violation() -> None:
    seen = holding(2)  # the endorsement, answered 2xx, never reached the workflow

    broken = violated(reconcile(recorded(201, 200, 200), seen))

    [example] = broken["every 2xx command reflected exactly once in the workflow's timeline"]
    assert REC in example
    assert RecommendationEndorsed.TYPE in example


def test_an_event_applied_twice_is_a_violation() -> None:
    twice = ("e9", ReviewStarted.TYPE, "under_review", "under_review")

    broken = violated(reconcile(recorded(201, 200, 200), holding(3, twice)))

    assert any(
        ReviewStarted.TYPE in e for e in broken["every 2xx command reflected exactly once in the workflow's timeline"]
    )


def test_a_refused_command_that_left_an_event_is_a_violation() -> None:
    journal = recorded(201, 200, 409)  # the endorsement was refused …
    broken = violated(reconcile(journal, holding(3)))  # … yet the recommendation is endorsed

    [example] = broken["every 4xx command left no trace"]
    assert RecommendationEndorsed.TYPE in example


def test_a_lost_answer_may_have_happened_or_not_but_never_half() -> None:
    journal = recorded(201, 200, None)

    assert violated(reconcile(journal, holding(3))) == {}
    assert violated(reconcile(journal, holding(2))) == {}
    half = holding(3)
    half.recommendations[REC].progress_status = "under_review"  # the workflow endorsed it, progress never heard

    broken = violated(reconcile(journal, half))

    assert broken.keys() == {
        "every command whose answer was lost is wholly there or not at all",
        "each workflow's state equals progress' status",
    }


def test_a_lost_draft_known_to_the_lifecycle_and_progress_but_not_to_its_service_is_half_there() -> None:
    journal = Journal(lost_drafts=["Soak draft 7"])
    journal.add(Command(1, "draft", "POST", "/roadmaps/v1/roadmaps/r/recommendations", 500, None,
                        RecommendationDrafted.TYPE))  # fmt: skip
    half = holding(0)
    half.recommendations[REC].service_status = half.recommendations[REC].service_version = None
    half.lost_drafts = {"Soak draft 7": REC}  # found in progress' projection only

    broken = violated(reconcile(journal, half))

    [example] = broken["every command whose answer was lost is wholly there or not at all"]
    assert example == f"draft 'Soak draft 7' ({REC}): service None, workflow drafted, progress drafted"
    whole = holding(0)
    whole.lost_drafts = {"Soak draft 7": REC}
    assert violated(reconcile(journal, whole)) == {}


def test_progress_showing_a_move_twice_is_a_violation() -> None:
    seen = holding(3)
    found = seen.recommendations[REC]
    found.progress_moves = [*found.progress_moves, found.progress_moves[-1]]
    found.progress_event_ids = [*found.progress_event_ids, found.progress_event_ids[-1]]

    assert "progress' projection holds the workflow's moves, each once" in violated(
        reconcile(recorded(201, 200, 200), seen)
    )


def test_a_status_change_told_twice_or_not_at_all_is_a_violation() -> None:
    for told in ({"endorsed": 2}, {}):
        seen = holding(3)
        seen.recommendations[REC].notices = told

        broken = violated(reconcile(recorded(201, 200, 200), seen))

        assert broken == {
            "every status change the association hears of, in exactly one notice": [
                f"{REC}: moves told {{'endorsed': 1}}, notices {told}"
            ]
        }


def test_unpublished_rows_dead_letters_orphans_and_leaks_are_violations() -> None:
    seen = holding(3)
    seen.unpublished["roadmaps"] = 2
    seen.dead_letters = ["sori.roadmaps.v1.dlq: sori.roadmaps.recommendation.submitted.v1 e1"]
    seen.processes = (9, 10)
    seen.memory["progress"] = Memory(100.0, 130.0, same_process=True)
    seen.memory["worker"] = Memory(100.0, 300.0, same_process=False)  # restarted: its levels say nothing of a leak

    broken = violated(reconcile(recorded(201, 200, 200), seen))

    assert broken == {
        "no valid event in any .dlq": seen.dead_letters,
        "no outbox row left unpublished": ["roadmaps: 2 rows unpublished"],
        "SoRi's process count equals the start's": ["9 → 10"],
        "memory of every SoRi process within 20 % of its level after warm-up": [
            "progress: 100 MB after warm-up, 130 MB at the end"
        ],
    }


def test_consumer_lag_a_row_unlike_the_replay_and_a_miscounting_dashboard_are_violations() -> None:
    seen = holding(3)
    seen.lag = {"progress": 0, "notifications": 3}
    seen.replayed_rows, seen.unlike_replay = 12, ["progress_milestone m1: reports live 2, replayed 1"]
    seen.dashboard = [("recommendations", 1, 1), ("recommendations endorsed", 2, 1)]

    broken = violated(reconcile(recorded(201, 200, 200), seen))

    assert broken == {
        "no consumer lag left": ["notifications: 3 records not consumed"],
        "progress' tables equal a replay of the topics into empty ones": seen.unlike_replay,
        "the dashboard's counts equal the lists'": ["recommendations endorsed: the dashboard says 2, the list 1"],
    }
    assert in_flight(seen)


def test_a_report_counted_twice_live_differs_from_the_replay() -> None:
    reported: Row = {"milestone_id": "m1", "reports": 1, "evidence_count": 1, "report_status": "done"}
    replayed_rows: Rows = {"progress_milestone": {"m1": reported}, "progress_action": {"a1": {"action_id": "a1"}}}
    live_rows: Rows = {
        "progress_milestone": {"m1": reported | {"reports": 2, "evidence_count": 2}},
        "progress_action": {"a1": {"action_id": "a1"}, "a2": {"action_id": "a2"}},
    }

    compared, found = differences(live_rows, replayed_rows)

    assert compared == 3
    assert sorted(found) == [
        "progress_action a2: only live",
        "progress_milestone m1: reports live 2, replayed 1, evidence_count live 2, replayed 1",
    ]
    assert differences(replayed_rows, replayed_rows) == (2, [])
