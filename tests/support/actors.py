"""Every kind of caller the security tests try, as the Authorization header each one sends."""

import secrets
from datetime import UTC, datetime, timedelta

import jwt

from contracts.envelope import Role
from sori.auth import ALGORITHM, ISSUER, issue_token

ZELS, AAM = "ZELS", "AAM"
ZELS_LG, OTHER_ZELS_LG, AAM_LG = "MK-KUMANOVO", "MK-STRUMICA", "AL-ELBASAN"

# Callers with a good token: (role, org).
SIGNED_IN: dict[str, tuple[Role, str]] = {
    "nalas": (Role.NALAS, "NALAS"),
    "lga ZELS": (Role.LGA, ZELS),
    "lga AAM": (Role.LGA, AAM),
    "lg assigned": (Role.LG, ZELS_LG),
    "lg not assigned": (Role.LG, OTHER_ZELS_LG),
    "observer": (Role.OBSERVER, "UNDP"),
}
# Callers whose token must not be accepted at all: each must get a 401.
UNAUTHENTICATED = ("no token", "expired token", "forged signature", "alg=none token", "unknown role")
CALLERS = tuple(SIGNED_IN) + UNAUTHENTICATED


def _claims(role: str, org: str, expires_in: timedelta) -> dict[str, object]:
    now = datetime.now(UTC)
    return {"sub": "mallory", "org": org, "role": role, "iss": ISSUER, "iat": now, "exp": now + expires_in}


def _unsigned(claims: dict[str, object]) -> str:
    """A token that says `alg: none` and carries no signature: PyJWT makes it when asked explicitly."""
    return jwt.encode(claims, key="", algorithm="none")  # PyJWT takes "" as no key; its types refuse None


def header(caller: str, secret: str) -> dict[str, str]:
    """The headers `caller` sends to a service that signs with `secret`."""
    if caller in SIGNED_IN:
        role, org = SIGNED_IN[caller]
        token = issue_token(secret, sub=f"{caller}@test", org=org, role=role, ttl=timedelta(hours=1))
    elif caller == "no token":
        return {}
    elif caller == "expired token":
        token = jwt.encode(_claims("nalas", "NALAS", -timedelta(minutes=5)), secret, algorithm=ALGORITHM)
    elif caller == "forged signature":
        other = secrets.token_urlsafe(32)
        token = issue_token(other, sub="mallory", org="NALAS", role=Role.NALAS, ttl=timedelta(hours=1))
    elif caller == "alg=none token":
        token = _unsigned(_claims("nalas", "NALAS", timedelta(hours=1)))
    elif caller == "unknown role":
        token = jwt.encode(_claims("admin", "NALAS", timedelta(hours=1)), secret, algorithm=ALGORITHM)
    else:
        raise ValueError(f"unknown caller {caller!r}")
    return {"Authorization": f"Bearer {token}"}
