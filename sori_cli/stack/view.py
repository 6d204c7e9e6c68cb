"""A stack that `sori up` runs, as its stack.json describes it: where each part answers, the tokens, the supervisor
and its parts' processes, and the database the services share. A program that did not start the stack (`sori soak
--running`) finds it here; one that did (the tests, `sori bench`) has a RunningStack, which is one of these."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sori_cli.stack.report import STACK_FILE


class NoStack(Exception):
    """No stack runs where one was asked for (the reason says what was looked at)."""


@dataclass
class StackView:
    home: Path
    document: dict[str, Any]
    schema_prefix: str
    database_url: str | None = None  # None: a SQLite file per service under home

    def url(self, service: str) -> str:
        url: str = self.document["services"][service]
        return url

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.document['tokens'][role]}"}

    @property
    def pids(self) -> dict[str, int]:
        """Each part's process when `sori up` last started it (it writes the file again after each restart)."""
        pids: dict[str, int] = self.document["processes"]
        return pids

    @property
    def supervisor(self) -> int:
        """`sori up`'s own process: every part runs as its child."""
        pid: int = self.document["supervisor"]
        return pid


def read_stack(home: Path, database_url: str | None) -> StackView:
    """The stack `sori up` runs on `home`, whose services use `database_url` (as `sori up` was given it)."""
    try:
        document = json.loads((home / STACK_FILE).read_text())
    except (OSError, ValueError) as missing:
        raise NoStack(f"no running stack: {home / STACK_FILE} cannot be read ({missing}); start `sori up`") from None
    database = "postgresql" if database_url else "sqlite"
    if document.get("database") != database:
        raise NoStack(
            f"the stack on {home} keeps its data in {document.get('database')}, and this command was given "
            f"{database}: give the same DATABASE_URL (or --database-url) as `sori up`"
        )
    return StackView(home, document, document["schema_prefix"], database_url)
