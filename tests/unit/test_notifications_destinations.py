"""Which addresses a webhook may deliver to: public ones only, however an internal one is spelled."""

from ipaddress import ip_address

import pytest

from services.notifications.destinations import check_receiver, refusal
from sori.errors import CommandRefused

REFUSED = {
    "127.0.0.1": "loopback",
    "127.8.9.10": "loopback",
    "::1": "loopback",
    "::ffff:127.0.0.1": "loopback",  # IPv4-mapped IPv6
    "64:ff9b::7f00:1": "loopback",  # NAT64
    "2002:7f00:1::": "loopback",  # 6to4
    "10.1.2.3": "private",
    "172.16.0.1": "private",
    "192.168.1.1": "private",
    "::ffff:10.0.0.1": "private",
    "fc00::1": "private",
    "169.254.169.254": "cloud metadata",
    "fd00:ec2::254": "cloud metadata",
    "100.100.100.200": "cloud metadata",
    "::ffff:169.254.169.254": "cloud metadata",
    "169.254.1.1": "link-local",
    "fe80::1": "link-local",
    "0.0.0.0": "unspecified",
    "::": "unspecified",
    "224.0.0.1": "multicast",
    "ff02::1": "multicast",
    "ff0e::1": "multicast",
    "100.64.0.1": "not a public address",  # carrier-grade NAT
    "240.0.0.1": "reserved",
    "::127.0.0.1": "reserved",  # the deprecated IPv4-compatible form
}
PUBLIC = ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]


@pytest.mark.parametrize(("address", "kind"), REFUSED.items())
def test_an_internal_address_is_refused_with_its_kind(address: str, kind: str) -> None:
    reason = refusal(ip_address(address))
    assert reason is not None
    assert kind in reason


@pytest.mark.parametrize("address", PUBLIC)
def test_a_public_address_is_allowed(address: str) -> None:
    assert refusal(ip_address(address)) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "https://[::1]/hook",
        "http://[::ffff:7f00:1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:9/",
        "http://LOCALHOST./",
        "http://api.localhost/",
        "http://10.0.0.5/",
    ],
)
def test_a_receiver_at_an_internal_address_is_refused_unless_allowed(url: str) -> None:
    with pytest.raises(CommandRefused) as refused:
        check_receiver(url, allow_private=False)
    assert "SORI_WEBHOOK_ALLOW_PRIVATE" in refused.value.reason
    check_receiver(url, allow_private=True)


@pytest.mark.parametrize("url", ["https://hooks.example.org/sori", "http://93.184.215.14/", "https://[2606:4700::1]/"])
def test_a_public_receiver_or_a_name_is_accepted_when_subscribed(url: str) -> None:
    check_receiver(url, allow_private=False)  # a name is checked when each delivery resolves it
