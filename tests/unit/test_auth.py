"""Bearer tokens: what `issue_token` signs comes back from `verify_token`, and nothing else does."""

import base64
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from contracts.envelope import Actor, Role
from sori.auth import ALGORITHM, ISSUER, InvalidToken, issue_token, verify_token

pytestmark = pytest.mark.unit

SECRET = "unit-test-signing-secret-0123456789abcdef"
OTHER_SECRET = "another-signing-secret-fedcba9876543210xyz"
HOUR = timedelta(hours=1)


def b64url(document: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b"=").decode()


def valid_claims(**overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": "ana",
        "org": "ZELS",
        "role": "lga",
        "iss": ISSUER,
        "iat": int(now.timestamp()),
        "exp": int((now + HOUR).timestamp()),
    }
    claims.update(overrides)
    return claims


def test_the_secrets_used_here_are_at_least_32_bytes() -> None:
    assert len(SECRET.encode()) >= 32
    assert len(OTHER_SECRET.encode()) >= 32


@pytest.mark.parametrize("role", list(Role))
def test_an_issued_token_verifies_to_the_same_actor(role: Role) -> None:
    token = issue_token(SECRET, sub="ana", org="ZELS", role=role, ttl=HOUR)

    assert verify_token(SECRET, token) == Actor(sub="ana", org="ZELS", role=role)


def test_an_issued_token_is_signed_with_hs256_by_sori() -> None:
    token = issue_token(SECRET, sub="ana", org="ZELS", role=Role.LGA, ttl=HOUR)

    assert jwt.get_unverified_header(token)["alg"] == ALGORITHM == "HS256"
    assert jwt.decode(token, SECRET, algorithms=[ALGORITHM])["iss"] == ISSUER


def test_an_expired_token_is_refused_as_expired() -> None:
    token = issue_token(SECRET, sub="ana", org="ZELS", role=Role.LGA, ttl=timedelta(seconds=-30))

    with pytest.raises(InvalidToken, match="expired"):
        verify_token(SECRET, token)


def test_a_token_verified_while_valid_is_refused_as_expired_once_its_time_is_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = issue_token(SECRET, sub="ana", org="ZELS", role=Role.LGA, ttl=HOUR)
    expires = jwt.decode(token, SECRET, algorithms=[ALGORITHM])["exp"]
    assert verify_token(SECRET, token).sub == "ana"

    monkeypatch.setattr(time, "time", lambda: expires + 1.0)
    with pytest.raises(InvalidToken, match="expired"):
        verify_token(SECRET, token)


def test_a_token_signed_with_another_secret_is_refused_for_its_signature() -> None:
    token = issue_token(OTHER_SECRET, sub="ana", org="ZELS", role=Role.LGA, ttl=HOUR)

    with pytest.raises(InvalidToken, match="signature"):
        verify_token(SECRET, token)


def test_a_token_signed_with_another_secret_is_refused_with_where_secrets_come_from() -> None:
    """The usual cause is `sori token issue` run with another SORI_HOME (or SORI_SECRET) than the stack's."""
    token = issue_token(OTHER_SECRET, sub="ana", org="ZELS", role=Role.LGA, ttl=HOUR)

    with pytest.raises(InvalidToken) as refused:
        verify_token(SECRET, token)
    assert "SORI_HOME" in str(refused.value)
    assert "SORI_SECRET" in str(refused.value)


def test_a_token_whose_payload_was_altered_is_refused_for_its_signature() -> None:
    token = issue_token(SECRET, sub="ana", org="ZELS", role=Role.OBSERVER, ttl=HOUR)
    header, _, signature = token.split(".")
    forged = f"{header}.{b64url(valid_claims(role='nalas'))}.{signature}"

    with pytest.raises(InvalidToken, match="signature"):
        verify_token(SECRET, forged)


def test_an_unsigned_alg_none_token_is_refused() -> None:
    token = f"{b64url({'alg': 'none', 'typ': 'JWT'})}.{b64url(valid_claims(role='nalas'))}."

    with pytest.raises(InvalidToken, match="not valid"):
        verify_token(SECRET, token)


def test_an_alg_none_token_claiming_hs256_with_no_signature_is_refused() -> None:
    token = f"{b64url({'alg': ALGORITHM, 'typ': 'JWT'})}.{b64url(valid_claims(role='nalas'))}."

    with pytest.raises(InvalidToken, match="signature"):
        verify_token(SECRET, token)


def test_a_token_with_an_unknown_role_is_refused() -> None:
    token = jwt.encode(valid_claims(role="admin"), SECRET, algorithm=ALGORITHM)

    with pytest.raises(InvalidToken, match="role"):
        verify_token(SECRET, token)


def test_a_token_without_a_role_is_refused() -> None:
    claims = valid_claims()
    del claims["role"]
    token = jwt.encode(claims, SECRET, algorithm=ALGORITHM)

    with pytest.raises(InvalidToken, match="role"):
        verify_token(SECRET, token)


def test_a_token_without_an_org_is_refused() -> None:
    claims = valid_claims()
    del claims["org"]
    token = jwt.encode(claims, SECRET, algorithm=ALGORITHM)

    with pytest.raises(InvalidToken, match="org"):
        verify_token(SECRET, token)


def test_a_token_from_another_issuer_is_refused() -> None:
    token = jwt.encode(valid_claims(iss="someone-else"), SECRET, algorithm=ALGORITHM)

    with pytest.raises(InvalidToken, match="not valid"):
        verify_token(SECRET, token)


@pytest.mark.parametrize("missing", ["sub", "exp", "iss"])
def test_a_token_missing_a_required_claim_is_refused(missing: str) -> None:
    claims = valid_claims()
    del claims[missing]
    token = jwt.encode(claims, SECRET, algorithm=ALGORITHM)

    with pytest.raises(InvalidToken, match=missing):
        verify_token(SECRET, token)


@pytest.mark.parametrize("garbage", ["garbage", "", "a.b.c", "Bearer something", "....."])
def test_a_garbage_string_is_refused(garbage: str) -> None:
    with pytest.raises(InvalidToken, match="not valid"):
        verify_token(SECRET, garbage)
