"""The bench's status board: one list request answers every lifecycle waiting on it, and a wait has a deadline."""

import asyncio

import httpx
import pytest

from sori_cli.bench import lifecycles
from sori_cli.bench.lifecycles import StatusBoard

pytestmark = pytest.mark.unit


class ReviewQueue:
    """A review queue that lists what it is given, and counts the requests made of it."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []
        self.requests = 0
        self.asked_again = asyncio.Event()

    def answer(self, _request: httpx.Request) -> httpx.Response:
        self.requests += 1
        if self.requests > 1:
            self.asked_again.set()
        return httpx.Response(200, json=self.rows)


def board_over(queue: ReviewQueue) -> StatusBoard:
    http = httpx.AsyncClient(transport=httpx.MockTransport(queue.answer), base_url="http://wg")
    return StatusBoard(http, "/working-group/v1/review-queue", {}, lambda rows: rows)


async def test_one_request_answers_every_lifecycle_waiting_on_it() -> None:
    queue = ReviewQueue()
    queue.rows = [{"recommendation_id": f"rec-{n}", "status": "submitted"} for n in range(40)]
    board = board_over(queue)
    await asyncio.gather(*(board.reached(f"rec-{n}", "submitted") for n in range(40)))
    await board.close()
    assert queue.requests == 1


async def test_a_lifecycle_waits_until_its_recommendation_has_the_status() -> None:
    queue = ReviewQueue()
    queue.rows = [{"recommendation_id": "rec-1", "status": "drafted"}]
    board = board_over(queue)
    waiting = asyncio.create_task(board.reached("rec-1", "submitted"))
    await queue.asked_again.wait()  # the first answer lacked the status, so the board asked again
    assert not waiting.done()
    queue.rows = [{"recommendation_id": "rec-1", "status": "submitted"}]
    await waiting
    await board.close()


async def test_a_status_never_reached_times_out_with_the_recommendation_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(lifecycles, "WAIT_SECONDS", 0.2)
    board = board_over(ReviewQueue())
    with pytest.raises(TimeoutError, match="rec-9 did not reach submitted"):
        await board.reached("rec-9", "submitted")
    await board.close()
