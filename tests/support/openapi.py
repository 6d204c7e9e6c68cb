"""A service's OpenAPI as schemathesis sees it, and its cases turned into httpx requests against the app."""

from typing import Any

BASE_URL = "http://service"


def request_kwargs(transport: dict[str, Any]) -> dict[str, Any]:
    """Schemathesis serialises for `requests`; httpx takes the same apart from raw bodies, which it calls content."""
    kwargs = {key: value for key, value in transport.items() if key not in ("data", "auth", "timeout", "verify")}
    if isinstance(transport.get("files"), list):
        # Multipart parts that are plain values (numbers, booleans) go as their text, as `requests` would send them.
        kwargs["files"] = [
            (name, (part[0], part[1] if isinstance(part[1], bytes | str) else str(part[1]), *part[2:]))
            for name, part in transport["files"]
        ]
    data = transport.get("data")
    if isinstance(data, bytes | str):
        kwargs["content"] = data
    elif data is not None:
        kwargs["data"] = data
    return kwargs
