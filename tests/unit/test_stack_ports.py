"""`sori up`'s check that a service's port is free judges it as the server's own bind will (SO_REUSEADDR)."""

import socket
from collections.abc import Iterator

import pytest

from sori_cli.stack.embedded import port_is_free


@pytest.fixture
def listening() -> Iterator[socket.socket]:
    server = socket.create_server(("127.0.0.1", 0))
    yield server
    server.close()


def port_of(server: socket.socket) -> int:
    port: int = server.getsockname()[1]
    return port


def leave_in_time_wait(server: socket.socket) -> None:
    """One connection to the server, closed by the server's side first (that side keeps the port in TIME-WAIT, as a
    stopped service does), then the server itself closed."""
    client = socket.create_connection(server.getsockname())
    accepted, _ = server.accept()
    accepted.close()
    assert client.recv(1) == b""  # the server's close reached the client
    client.close()
    server.close()


def test_a_port_with_a_listening_server_is_in_use(listening: socket.socket) -> None:
    assert not port_is_free(port_of(listening))


def test_a_port_left_only_in_time_wait_is_free_to_restart_on(listening: socket.socket) -> None:
    port = port_of(listening)
    leave_in_time_wait(listening)
    # The situation holds: a bind without SO_REUSEADDR is refused.
    with socket.socket() as plain, pytest.raises(OSError, match="Address already in use"):
        plain.bind(("127.0.0.1", port))

    assert port_is_free(port)
