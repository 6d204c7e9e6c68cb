"""`sori replay` against a broker that leaves its offset requests unanswered (the embedded one once did, after a
long-lived stack's third replay): it gives up in bounded time with a reason, before it has changed anything."""

import asyncio
import time
from typing import cast

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from sori_cli import replay
from sori_cli.replay import ReplayRefused, extent

PARTITIONS = {TopicPartition("sori.lifecycle.v1", p) for p in range(3)}


class Silent:
    """A reader whose broker takes the seek and never tells where the partitions end."""

    async def seek_to_beginning(self, *_partitions: TopicPartition) -> None:
        pass

    async def end_offsets(self, _partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


class Answering(Silent):
    async def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        return dict.fromkeys(partitions, 7)


async def test_a_broker_that_never_tells_where_partitions_end_makes_the_replay_give_up_with_a_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(replay, "OFFSETS_WITHIN_SECONDS", 0.2)
    started = time.monotonic()

    with pytest.raises(ReplayRefused, match=r"did not tell where the 3 partitions begin and end within 0s; nothing"):
        await extent(cast(AIOKafkaConsumer, Silent()), PARTITIONS)

    assert time.monotonic() - started < 5


async def test_a_broker_that_answers_gives_each_partitions_end() -> None:
    assert await extent(cast(AIOKafkaConsumer, Answering()), PARTITIONS) == dict.fromkeys(PARTITIONS, 7)
