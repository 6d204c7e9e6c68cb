"""Bearer tokens for the people in a test's story, signed with the test's own secret."""

from datetime import timedelta

from contracts.envelope import Role
from sori.auth import issue_token


class Tokens:
    """Bearer headers for the people in a test's story."""

    def __init__(self, secret: str) -> None:
        self.secret = secret

    def header(self, role: Role, org: str, sub: str = "someone") -> dict[str, str]:
        token = issue_token(self.secret, sub=sub, org=org, role=role, ttl=timedelta(hours=1))
        return {"Authorization": f"Bearer {token}"}
