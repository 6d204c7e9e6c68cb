"""The bridge's proof that a lifecycle event came from one of SoRi's topics, and the worker's check of it.

Anyone who reaches the Temporal frontend can signal a lifecycle; only the bridge and the worker hold the key, so only
an event the bridge read from a topic carries a valid proof. The workflow applies an event only with one.
"""

import hashlib
import hmac
from dataclasses import replace
from uuid import UUID

from sori.settings import Settings
from workflows.messages import DomainEvent

# The derivation's label: a key made from SORI_SECRET for this use alone, so a proof is no token and no token a proof.
KEY_LABEL = b"sori lifecycle event proof v1"
NO_PROOF = "no proof it came from a SoRi topic"


def lifecycle_key(settings: Settings) -> bytes:
    """SORI_LIFECYCLE_KEY, else HMAC-SHA256 of a fixed label under SoRi's signing secret."""
    if settings.lifecycle_key:
        return settings.lifecycle_key.encode()
    return hmac.new(settings.signing_secret.encode(), KEY_LABEL, hashlib.sha256).digest()


def proof_of(key: bytes, event_id: UUID, event_type: str, recommendation_id: UUID) -> str:
    """What the bridge signals with an event: it binds the event to its type and to its recommendation's lifecycle."""
    message = f"{event_id}|{event_type}|{recommendation_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def proven(key: bytes, event: DomainEvent, recommendation_id: UUID) -> DomainEvent:
    return replace(event, proof=proof_of(key, event.id, event.type, recommendation_id))


def is_proven(key: bytes, event_id: UUID, event_type: str, recommendation_id: UUID, proof: str | None) -> bool:
    if proof is None:
        return False
    return hmac.compare_digest(proof, proof_of(key, event_id, event_type, recommendation_id))
