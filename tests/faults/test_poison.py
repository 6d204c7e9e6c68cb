"""Poison on every consumed topic, in every partition: invalid JSON, an unknown type, a schema version nobody
knows, a known type of the wrong shape, an oversized record. Every consumer of the topic puts each in the topic's
`.dlq` with its reason, goes on past it to the next, and applies the valid events that follow."""

import secrets
from collections import Counter

from sori_cli.stack.child import RunningStack
from tests.faults.letters import CONSUMERS, PARTITIONS, dead_lettered, poisons
from tests.faults.story import all_in, draft_and_submit, start_reviews
from tests.faults.topics import produce


async def test_every_poison_lands_in_its_topics_dlq_for_every_consumer_and_consumption_goes_on(
    ready_stack: RunningStack,
) -> None:
    stack = ready_stack
    tag = secrets.token_hex(4)
    for topic in CONSUMERS:
        bodies = [body for body, _ in poisons(topic, tag).values()]
        await produce(stack, topic, [(b"poison", body, []) for body in bodies], partitions=range(PARTITIONS))

    recommendations = await draft_and_submit(stack, 2, "After the poison")
    await start_reviews(stack, recommendations)
    applied = await all_in(stack, recommendations, "under_review")

    figures = []
    for topic, consumers in CONSUMERS.items():
        kinds = poisons(topic, tag)
        reason_of = {body: reason for body, reason in kinds.values()}
        each = len(kinds) * PARTITIONS
        found = await dead_lettered(stack, topic, reason_of, each * len(consumers))
        per_consumer = Counter(letter.consumer for letter in found)
        wrong = [(x.consumer, x.reason[:80]) for x in found if not x.reason.startswith(reason_of[x.body])]
        figures.append(f"{topic}: {len(found)} dead letters {dict(per_consumer)}")
        assert per_consumer == dict.fromkeys(consumers, each), figures
        assert {x.partition for x in found} == set(range(PARTITIONS)), figures
        assert not wrong, wrong
    print("; ".join(figures), f"; then {dict(applied)}")
