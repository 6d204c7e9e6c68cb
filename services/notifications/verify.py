"""Webhook signatures, with the standard library only: what SoRi signs and what a receiver checks.

SoRi sends `X-Sori-Timestamp: <unix seconds>` and `X-Sori-Signature: sha256=<hex>`, where the hex is the
HMAC-SHA256, keyed with the subscription's secret, of `<timestamp>.<raw body>`. A receiver recomputes it over the
raw bytes it received and refuses a stale timestamp, so a captured delivery cannot be replayed later.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Sori-Signature"
TIMESTAMP_HEADER = "X-Sori-Timestamp"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(
    secret: str, timestamp: str, body: bytes, signature: str, tolerance_seconds: float = 300, now: float | None = None
) -> bool:
    """True when `signature` is SoRi's over this timestamp and body and the timestamp is within the tolerance."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent_at) > tolerance_seconds:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)
