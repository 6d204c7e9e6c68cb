"""A TLS-terminating proxy (OpenSSL through Python's ssl module) in front of a plain TCP server, requiring client
certificates from one CA: what the Temporal frontend does with mutual TLS, for the dev server that cannot."""

import asyncio
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from tests.support.certificates import Issued

READ_SIZE = 64 * 1024


def mutual_tls_context(server: Issued, client_ca: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(server.cert, server.key)
    context.load_verify_locations(cafile=client_ca)
    context.verify_mode = ssl.CERT_REQUIRED
    context.set_alpn_protocols(["h2"])  # gRPC speaks HTTP/2, which over TLS it only chooses through ALPN
    return context


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(READ_SIZE):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, ssl.SSLError):
        pass  # the other side went away: closing below ends its twin too
    finally:
        writer.close()


@asynccontextmanager
async def mutual_tls_proxy(upstream: str, context: ssl.SSLContext) -> AsyncIterator[str]:
    """Listens on 127.0.0.1 with `context` and forwards each connection's bytes both ways to `upstream` (host:port);
    yields its own host:port."""
    host, _, port = upstream.rpartition(":")
    pumps: set[asyncio.Task[None]] = set()

    async def forward(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        server_reader, server_writer = await asyncio.open_connection(host, int(port))
        both = [
            asyncio.create_task(_pump(client_reader, server_writer)),
            asyncio.create_task(_pump(server_reader, client_writer)),
        ]
        pumps.update(both)
        await asyncio.wait(both)
        pumps.difference_update(both)

    server = await asyncio.start_server(forward, "127.0.0.1", 0, ssl=context)
    (listening, *_) = server.sockets
    try:
        yield f"127.0.0.1:{listening.getsockname()[1]}"
    finally:
        server.close()
        for pump in pumps:
            pump.cancel()
        with suppress(asyncio.CancelledError):
            await asyncio.gather(*pumps, return_exceptions=True)
        await server.wait_closed()
