"""The bench's HTTP/1.1 client: kept-alive connections and only what the bench sends and reads.

The load generator shares the machine's cores with the server it measures. httpx cost ~1.5 ms of CPU per request
(27-39 % of a core at 200 requests/s, measured), CPU the services under test then waited for; this client costs
~0.5 ms (8-12 %), like a purpose-built load tool."""

import asyncio
import json
import time
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit

# Every request's deadline, as httpx's timeout was: a request past it counts as failed.
TIMEOUT_SECONDS = 30.0
# A connection idle this long is closed rather than sent on (httpx's default): the services close one idle for 30 s,
# and a request sent as the server closes it is lost. The at-scale drafting runs 33 s, so a connection opened while
# warming up and idle since could be one (one draft of 6,000 failed once, unanswered).
IDLE_SECONDS = 5.0


class Unanswered(Exception):
    """The connection broke, timed out or sent what is not HTTP/1.1: the request counts as failed."""


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class KeepAliveClient:
    """Requests to one service over at most `connections` kept-alive connections, each carrying one at a time."""

    def __init__(self, base_url: str, headers: Mapping[str, str], connections: int) -> None:
        url = urlsplit(base_url)
        if url.scheme != "http" or url.hostname is None:
            raise ValueError(f"the bench speaks plain HTTP to a host: {base_url!r}")
        self.host, self.port = url.hostname, url.port or 80
        self.prefix = url.path.rstrip("/")
        fields = {"Host": url.netloc, **headers}
        self._head = "".join(f"{name}: {value}\r\n" for name, value in fields.items())
        self._idle: list[tuple[Connection, float]] = []  # with when each was last answered on
        self._turns = asyncio.Semaphore(connections)

    async def request(
        self, method: str, path: str, *, params: Mapping[str, str] | None = None, body: object = None
    ) -> tuple[int, bytes]:
        """The answer's status and body; raises `Unanswered`."""
        target = self.prefix + path + (f"?{urlencode(params)}" if params else "")
        content = b"" if body is None else json.dumps(body).encode()
        typed = f"Content-Type: application/json\r\nContent-Length: {len(content)}\r\n" if body is not None else ""
        message = f"{method} {target} HTTP/1.1\r\n{self._head}{typed}\r\n".encode() + content
        async with self._turns:
            connection = self._kept()
            try:
                async with asyncio.timeout(TIMEOUT_SECONDS):
                    connection = connection or await asyncio.open_connection(self.host, self.port)
                    connection[1].write(message)
                    status, answer, keep = await _read_answer(connection[0])
            except (OSError, TimeoutError, EOFError, asyncio.LimitOverrunError, ValueError) as exc:
                if connection:
                    connection[1].close()
                raise Unanswered(repr(exc)) from exc
            if keep:
                self._idle.append((connection, time.monotonic()))
            else:
                connection[1].close()
            return status, answer

    def _kept(self) -> Connection | None:
        """The idle connection answered on last, passing over those idle too long or that the server has closed."""
        while self._idle:
            connection, since = self._idle.pop()
            if time.monotonic() - since < IDLE_SECONDS and not connection[0].at_eof():
                return connection
            connection[1].close()
        return None

    async def aclose(self) -> None:
        for (_, writer), _since in self._idle:
            writer.close()
        self._idle.clear()


async def _read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Status, body and whether the connection stays open (HTTP/1.1's default)."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    version, status = head[0].split(" ", 2)[:2]
    if not version.startswith("HTTP/1."):
        raise ValueError(f"not an HTTP/1.x answer: {head[0]!r}")
    fields = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in head[1:])}
    if fields.get("transfer-encoding", "").lower() == "chunked":
        body = await _read_chunks(reader)
    else:
        body = await reader.readexactly(int(fields.get("content-length", "0")))
    return int(status), body, fields.get("connection", "").lower() != "close"


async def _read_chunks(reader: asyncio.StreamReader) -> bytes:
    chunks = []
    while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
        chunks.append((await reader.readexactly(size + 2))[:-2])
    while await reader.readuntil(b"\r\n") != b"\r\n":  # trailer fields, which the bench has no use for
        pass
    return b"".join(chunks)
