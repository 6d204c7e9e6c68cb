"""The Idempotency-Key rule without I/O: which request runs, which is answered from before, which is refused; and
the fingerprint a request is known by (a multipart body by its parts, whatever its boundary)."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from starlette.requests import Request
from starlette.types import Message

from sori.idempotency import Kept, Outcome, decide, fingerprint_of

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
DAY = timedelta(hours=24)


def kept(fingerprint: str, age: timedelta) -> Kept:
    # SQLite hands the time back naive: the rule reads it as UTC.
    return Kept(fingerprint, (NOW - age).replace(tzinfo=None), 201, "application/json", b"{}")


@pytest.mark.parametrize(
    ("earlier", "outcome"),
    [
        (None, Outcome.RUN),
        (kept("same", timedelta(hours=23, minutes=59)), Outcome.REPLAY),
        (kept("other", timedelta(minutes=1)), Outcome.CONFLICT),
        (kept("same", DAY), Outcome.RUN),
        (kept("other", DAY + timedelta(seconds=1)), Outcome.RUN),
    ],
    ids=["new key", "same request within the day", "another request", "expired at the day", "expired, another"],
)
def test_a_key_replays_its_request_refuses_another_and_frees_itself_when_it_expires(
    earlier: Kept | None, outcome: Outcome
) -> None:
    assert decide(earlier, "same", NOW, DAY) is outcome


def request_of(built: httpx.Request) -> Request:
    body = built.read()

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    headers = [(name.lower().encode(), value.encode()) for name, value in built.headers.items()]
    scope = {"type": "http", "method": built.method, "path": built.url.path, "query_string": built.url.query,
             "headers": headers, "scheme": "http", "server": ("service", 80), "root_path": ""}  # fmt: skip
    return Request(scope, receive)


async def fingerprint(method: str, path: str, **content: object) -> str:
    return await fingerprint_of(request_of(httpx.Request(method, f"http://service{path}", **content)))  # type: ignore[arg-type]


async def test_a_multipart_upload_is_known_by_its_parts_not_its_boundary() -> None:
    upload = {"file": ("report.pdf", b"%PDF-1.7\n", "application/pdf")}
    renamed = {"file": ("minutes.pdf", b"%PDF-1.7\n", "application/pdf")}
    changed = {"file": ("report.pdf", b"%PDF-1.7\n%more\n", "application/pdf")}

    first = await fingerprint("POST", "/evidence", files=upload)
    again = await fingerprint("POST", "/evidence", files=upload)  # httpx draws a new boundary each time

    assert first == again
    assert first != await fingerprint("POST", "/evidence", files=renamed)
    assert first != await fingerprint("POST", "/evidence", files=changed)


async def test_a_json_request_is_known_by_its_method_path_and_bytes() -> None:
    first = await fingerprint("POST", "/reports", json={"status": "on_track"})

    assert first == await fingerprint("POST", "/reports", json={"status": "on_track"})
    assert first != await fingerprint("POST", "/reports", json={"status": "at_risk"})
    assert first != await fingerprint("POST", "/reports?x=1", json={"status": "on_track"})
    assert first != await fingerprint("PUT", "/reports", json={"status": "on_track"})
    assert first != await fingerprint("POST", "/other", json={"status": "on_track"})
