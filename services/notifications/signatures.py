"""Webhook signatures as the Standard Webhooks specification has them (https://www.standardwebhooks.com), made by its
reference library, so that a receiver verifies a delivery with the same library in its own language.

Each delivery carries `webhook-id` (the delivery's id, the same on every retry, so a receiver can drop a duplicate),
`webhook-timestamp` (unix seconds of this attempt; the libraries refuse one more than five minutes away, so a captured
delivery cannot be replayed later) and `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`.

A secret is `whsec_` and the base64 of 32 random bytes, which are the key. Secrets made before SoRi followed the
standard are random text without that prefix; such a secret keeps signing, with its UTF-8 bytes as the key (what
`whsec_` + base64(secret) says to any library), so no stored secret had to change.
"""

import base64
import secrets
from datetime import UTC, datetime

from standardwebhooks import Webhook as Signer

PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def key(secret: str) -> bytes:
    """The HMAC key a secret stands for: a `whsec_` secret's decoded bytes, an older secret's own UTF-8 bytes."""
    if secret.startswith(PREFIX):
        return base64.b64decode(secret.removeprefix(PREFIX))
    return secret.encode()


def signed_headers(secret: str, message_id: str, body: bytes, sent_at: datetime | None = None) -> dict[str, str]:
    """The three Standard Webhooks headers of one attempt to deliver `body`, signed with the subscription's secret."""
    moment = (sent_at or datetime.now(UTC)).astimezone(UTC)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": Signer(key(secret)).sign(message_id, moment, body.decode()),
    }
