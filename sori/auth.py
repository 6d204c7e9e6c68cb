"""Signed bearer tokens (JWT, HS256) that carry who someone is: sub, org and role."""

import time
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from contracts.envelope import Actor, Role
from sori.settings import Settings

ALGORITHM = "HS256"
ISSUER = "sori"


# Most often not a forgery: `sori token issue` signs with the secret of its own SORI_HOME (or SORI_SECRET), so a token
# issued from another folder or shell than the stack's is refused by it.
SIGNED_ELSEWHERE = (
    "token signature is not valid: was it issued with this stack's secret "
    "(`sori token issue` with the same SORI_HOME or SORI_SECRET as `sori up`, or a token from its stack.json)?"
)


class InvalidToken(ValueError):
    pass


def issue_token(secret: str, *, sub: str, org: str, role: Role, ttl: timedelta) -> str:
    now = datetime.now(UTC)
    claims = {"sub": sub, "org": org, "role": role.value, "iss": ISSUER, "iat": now, "exp": now + ttl}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_token(secret: str, token: str) -> Actor:
    """The actor a token speaks for; only our algorithm is accepted, so `alg=none` and forgeries fail."""
    actor, expires = _verified(secret, token)
    if expires <= time.time():  # PyJWT's own test, for a token verified while it was still valid
        raise InvalidToken("token has expired")
    return actor


# Checking a signature anew on every request was ~4 % of a busy service's CPU (profiled while drafting at 200/s);
# the same token and secret always check out the same, and the expiry is tested on every use above.
@lru_cache(maxsize=4096)
def _verified(secret: str, token: str) -> tuple[Actor, float]:
    """The actor a token speaks for and when it expires (seconds since the epoch), once its signature checks out."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["sub", "exp", "iss"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("token has expired") from exc
    except jwt.InvalidSignatureError as exc:
        raise InvalidToken(SIGNED_ELSEWHERE) from exc
    except jwt.PyJWTError as exc:
        raise InvalidToken(f"token is not valid: {exc}") from exc
    try:
        actor = Actor(sub=claims["sub"], org=claims.get("org", ""), role=Role(str(claims.get("role"))))
    except ValueError as exc:
        raise InvalidToken("token lacks a valid org or role") from exc
    return actor, float(claims["exp"])


_bearer = HTTPBearer(auto_error=False, description="a token from `sori token issue`")


# async although it awaits nothing: FastAPI runs a plain dependency in its thread pool, on every request of every
# service (7 to 12 % of a busy service's time in the profile).
async def current_actor(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Actor:
    if credentials is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing bearer token: send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    settings: Settings = request.app.state.settings
    try:
        return verify_token(settings.signing_secret, credentials.credentials)
    except InvalidToken as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc


CurrentActor = Annotated[Actor, Depends(current_actor)]
