"""How `sori replay` sizes its transactions: small at first, so that the database starts writing early, then bigger,
so that a row touched all through the backlog is written fewer times."""

from itertools import islice

from sori.replay import FIRST_COMMIT, LARGEST_COMMIT, commit_sizes


def test_each_commit_takes_twice_the_events_of_the_one_before_up_to_the_largest() -> None:
    sizes = list(islice(commit_sizes(), 6))
    assert sizes[0] == FIRST_COMMIT == 10_000
    assert sizes[:4] == [10_000, 20_000, 40_000, 50_000]
    assert sizes[3:] == [LARGEST_COMMIT] * 3
