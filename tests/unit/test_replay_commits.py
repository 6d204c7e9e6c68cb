"""How `sori replay` sizes its transactions: small at first, so that the database starts writing early, then bigger,
so that a row touched all through the backlog is written fewer times."""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import cast

import pytest
from aiokafka import TopicPartition

from services.progress.handlers import CONSUMER
from sori.db import Database
from sori_cli import replay
from sori_cli.replay import FIRST_COMMIT, LARGEST_COMMIT, commit_sizes
from sori_cli.replay_apply import ReplayApplier

PARTITION = TopicPartition("sori.lifecycle.v1", 0)


def test_each_commit_takes_twice_the_events_of_the_one_before_up_to_the_largest() -> None:
    sizes = list(islice(commit_sizes(), 6))
    assert sizes[0] == FIRST_COMMIT == 10_000
    assert sizes[:4] == [10_000, 20_000, 40_000, 50_000]
    assert sizes[3:] == [LARGEST_COMMIT] * 3


@dataclass
class Record:
    value: bytes


class Backlog:
    """A reader that hands out a backlog in fetches of a few records, then nothing."""

    def __init__(self, events: int, per_fetch: int) -> None:
        self.events, self.per_fetch, self.read = events, per_fetch, 0

    async def getmany(self, *_partitions: TopicPartition, **_options: int) -> dict[TopicPartition, list[Record]]:
        taken = min(self.per_fetch, self.events - self.read)
        self.read += taken
        return {PARTITION: [Record(b"{}")] * taken} if taken else {}

    async def position(self, _partition: TopicPartition) -> int:
        return self.read


class CountingApplier(ReplayApplier):
    """Counts the events each commit takes, instead of applying and writing them."""

    def __init__(self) -> None:
        super().__init__(cast(Database, None), CONSUMER)
        self.commits: list[int] = []

    def apply(self, bodies: Sequence[bytes]) -> None:
        self.events += len(bodies)
        self.uncommitted.extend([None] * len(bodies))  # type: ignore[list-item]

    async def commit(self) -> None:
        self.commits.append(len(self.uncommitted))
        self.uncommitted = []

    async def written(self) -> None:
        pass


async def test_a_replay_commits_in_growing_transactions_and_leaves_nothing_uncommitted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(replay, "FIRST_COMMIT", 3)
    monkeypatch.setattr(replay, "LARGEST_COMMIT", 8)
    applier = CountingApplier()

    report, stopped_at = await replay._apply_all(Backlog(30, per_fetch=2), {PARTITION: 30}, applier, print)

    # A commit comes once a fetch takes the uncommitted events to the size due: 4 ≥ 3, 6 ≥ 6, 8 ≥ 8, 8; the rest at
    # the end.
    assert applier.commits == [4, 6, 8, 8, 4]
    assert (report.events, stopped_at) == (30, {PARTITION: 30})
