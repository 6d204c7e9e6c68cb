"""How the soak's journal judges an answer: 2xx happened once, 4xx must leave no trace, and a lost answer (no answer
at all, or a 5xx) may have happened or not."""

import pytest

from sori_cli.soak.journal import Command, Journal, Outcome


@pytest.mark.parametrize(
    ("status", "outcome"),
    [(200, Outcome.DONE), (201, Outcome.DONE), (404, Outcome.REFUSED), (409, Outcome.REFUSED),
     (422, Outcome.REFUSED), (None, Outcome.LOST), (500, Outcome.LOST), (503, Outcome.LOST)],
)  # fmt: skip
def test_an_answer_is_judged_by_its_status(status: int | None, outcome: Outcome) -> None:
    assert Command(1, "submit", "POST", "/submit", status).outcome is outcome


def test_the_journal_counts_what_was_sent_by_kind_and_outcome() -> None:
    journal = Journal()
    for kind, status in [("draft", 201), ("submit", 200), ("submit", 409), ("review", None)]:
        journal.add(Command(journal.next_number(), kind, "POST", f"/{kind}", status, "rec"))

    assert journal.sent_by_kind() == {"draft": 1, "submit": 2, "review": 1}
    assert journal.outcomes() == {Outcome.DONE: 2, Outcome.REFUSED: 1, Outcome.LOST: 1}
    assert [c.number for c in journal.about("rec")] == [1, 2, 3, 4]
