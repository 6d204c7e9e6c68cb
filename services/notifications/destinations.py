"""Where a webhook may deliver: to public addresses only, unless `SORI_WEBHOOK_ALLOW_PRIVATE` is set.

A receiver URL naming 127.0.0.1, a private network or the cloud's metadata service would let whoever manages
webhooks make this service send requests inside its own network (server-side request forgery). A literal address is
checked when a webhook is subscribed or changed; every delivery resolves the name, checks each address it answers,
and connects to the address it checked, so a name that answers differently the second time (DNS rebinding) gets
nothing through.
"""

import asyncio
import socket
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

import httpx

from sori.errors import CommandRefused, RefusalKind

Address = IPv4Address | IPv6Address

# Link-local or private anyway, named for the clearer reason: AWS/GCP/Azure, AWS over IPv6, Alibaba Cloud.
METADATA = frozenset(ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200"))
_NAT64 = ip_network("64:ff9b::/96")
DEFAULT_PORTS = {"http": 80, "https": 443}


class DestinationRefused(Exception):
    """A delivery's receiver resolved to an address it may not reach."""


def refusal(address: Address) -> str | None:
    """Why a receiver at this address is refused; None for a public one."""
    address = _embedded_ipv4(address)
    checks = (
        (address in METADATA, "a cloud metadata address"),
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        (not address.is_global, "not a public address"),
    )
    return next((reason for refused, reason in checks if refused), None)


def _embedded_ipv4(address: Address) -> Address:
    """The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, 6to4, NAT64), which is where it leads."""
    if isinstance(address, IPv4Address):
        return address
    if address in _NAT64:
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return address.ipv4_mapped or address.sixtofour or address


def check_receiver(url: str, allow_private: bool) -> None:
    """Refuse (422) a receiver URL whose host is a non-public address literal or a localhost name (RFC 6761: always
    loopback). Other names are checked when a delivery resolves them."""
    if allow_private:
        return
    host = httpx.URL(url).raw_host.decode("ascii").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        reason: str | None = "a loopback name"
    else:
        try:
            reason = refusal(ip_address(host))
        except ValueError:  # a name, not an address
            return
    if reason:
        raise CommandRefused(
            RefusalKind.INVALID,
            f"a webhook may not deliver to {host}: {reason}; set SORI_WEBHOOK_ALLOW_PRIVATE only for a closed network",
        )


async def checked_address(url: httpx.URL, allow_private: bool) -> str:
    """The address a delivery to this URL connects to: its host resolved once, every answer checked.

    Raises DestinationRefused when any answer is not public (unless allowed), socket.gaierror when the name has none.
    """
    host = url.raw_host.decode("ascii")
    port = url.port or DEFAULT_PORTS[url.scheme]
    answers = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [ip_address(str(sockaddr[0]).partition("%")[0]) for *_, sockaddr in answers]
    if not allow_private:
        for address in addresses:
            reason = refusal(address)
            if reason:
                raise DestinationRefused(f"{host} resolves to {address}: {reason}")
    return str(addresses[0])


def pinned(url: httpx.URL, address: str) -> tuple[httpx.URL, dict[str, str], dict[str, str]]:
    """The request to `url` sent to `address`: the URL with the address as host, and the original name kept as the
    Host header and the TLS server name (so the certificate is still checked against the name)."""
    extensions = {"sni_hostname": url.raw_host.decode("ascii")} if url.scheme == "https" else {}
    return url.copy_with(host=address), {"host": url.netloc.decode("ascii")}, extensions
