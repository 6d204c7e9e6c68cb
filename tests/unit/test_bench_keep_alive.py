"""The bench's HTTP/1.1 client: what it sends, the answers it reads, and when it keeps a connection."""

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest

from sori_cli.bench import keep_alive
from sori_cli.bench.keep_alive import KeepAliveClient, Unanswered
from sori_cli.main import KEEP_ALIVE_SECONDS
from tests.polling import eventually

# What the server sends for a request, and whether it then closes the connection.
Answer = Callable[[bytes], tuple[bytes, bool]]


@dataclass
class Server:
    """Answers each request with `answer(request)`; counts the connections opened to it."""

    answer: Answer
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        while head := await reader.readuntil(b"\r\n\r\n") if not reader.at_eof() else b"":
            length = next((int(line[15:]) for line in head.split(b"\r\n") if line.startswith(b"Content-Length:")), 0)
            request = head + await reader.readexactly(length)
            self.requests.append(request)
            answer, hang_up = self.answer(request)
            writer.write(answer)
            await writer.drain()
            if hang_up:
                break
        writer.close()


@asynccontextmanager
async def serving(answer: Answer) -> AsyncIterator[tuple[Server, str]]:
    server = Server(answer)

    async def tolerant(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await server.serve(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()  # the client hung up, as it does after an answer it could not read

    listening = await asyncio.start_server(tolerant, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    async with listening:
        yield server, f"http://127.0.0.1:{port}/api"


def sized(body: bytes, extra: str = "") -> tuple[bytes, bool]:
    return f"HTTP/1.1 201 Created\r\nContent-Length: {len(body)}\r\n{extra}\r\n".encode() + body, False


async def test_a_request_carries_method_target_headers_and_json_and_the_connection_is_kept() -> None:
    async with serving(lambda _: sized(b'{"ok": true}')) as (server, url):
        client = KeepAliveClient(url, {"Authorization": "Bearer t"}, connections=4)
        first = await client.request("POST", "/things", params={"q": "a b"}, body={"title": "Ç"})
        second = await client.request("GET", "/things")
        await client.aclose()

    assert first == (201, b'{"ok": true}')
    assert second == (201, b'{"ok": true}')
    assert server.connections == 1
    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0] == "POST /api/things?q=a+b HTTP/1.1"
    assert "Authorization: Bearer t" in lines
    assert "Content-Type: application/json" in lines
    assert json.loads(body) == {"title": "Ç"}
    assert server.requests[1].startswith(b"GET /api/things HTTP/1.1\r\n")


async def test_a_chunked_answer_is_read_whole() -> None:
    chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=1\r\n world\r\n0\r\nA: b\r\n\r\n"
    async with serving(lambda _: (chunked, False)) as (server, url):
        client = KeepAliveClient(url, {}, connections=1)
        answers = [await client.request("GET", "/") for _ in range(2)]

    assert answers == [(200, b"hello world")] * 2
    assert server.connections == 1


async def test_an_answer_that_closes_its_connection_makes_the_next_request_open_another() -> None:
    async with serving(lambda _: sized(b"", "Connection: close\r\n")) as (server, url):
        client = KeepAliveClient(url, {}, connections=1)
        answers = [await client.request("GET", "/") for _ in range(3)]

    assert answers == [(201, b"")] * 3
    assert server.connections == 3


@pytest.mark.parametrize("answer", [b"SMTP ready\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"])
async def test_what_is_not_a_whole_http_answer_is_unanswered_and_the_next_request_has_a_new_connection(
    answer: bytes,
) -> None:
    replies = iter([(answer, True), sized(b"fine")])
    async with serving(lambda _: next(replies)) as (server, url):
        client = KeepAliveClient(url, {}, connections=1)
        with pytest.raises(Unanswered):
            await client.request("GET", "/")
        assert await client.request("GET", "/") == (201, b"fine")

    assert server.connections == 2


async def test_a_connection_idle_too_long_is_closed_and_the_request_goes_on_a_new_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with serving(lambda _: sized(b"fine")) as (server, url):
        client = KeepAliveClient(url, {}, connections=1)
        first = await client.request("GET", "/")
        monkeypatch.setattr(keep_alive, "IDLE_SECONDS", 0.0)
        second = await client.request("GET", "/")
        await client.aclose()

    assert first == second == (201, b"fine")
    assert server.connections == 2


async def test_a_connection_the_server_closed_while_idle_is_passed_over() -> None:
    async with serving(lambda _: (sized(b"fine")[0], True)) as (server, url):
        client = KeepAliveClient(url, {}, connections=1)
        first = await client.request("GET", "/")
        # The server hung up after answering, without saying so: once the client has read the end of the stream, the
        # connection is not sent on.
        await eventually(lambda: idle_connection_ended(client))
        second = await client.request("GET", "/")

    assert first == second == (201, b"fine")
    assert server.connections == 2


async def idle_connection_ended(client: KeepAliveClient) -> bool:
    assert client._idle, "the answer's connection is kept"
    (reader, _), _since = client._idle[-1]
    return reader.at_eof()


def test_the_client_lets_a_connection_go_before_the_services_would_close_it() -> None:
    assert keep_alive.IDLE_SECONDS < KEEP_ALIVE_SECONDS


def test_only_plain_http_urls_are_taken() -> None:
    with pytest.raises(ValueError, match="plain HTTP"):
        KeepAliveClient("https://example.org", {}, connections=1)
