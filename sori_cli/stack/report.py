"""What `sori up` tells: stack.json for programs and a table for people."""

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contracts.envelope import Role
from sori.auth import issue_token
from sori.settings import Settings

if TYPE_CHECKING:
    from sori_cli.stack.up import Stack

STACK_FILE = "stack.json"


def write_stack_file(home: Path, document: dict[str, Any]) -> None:
    """Written aside and renamed into place, so that a program waiting for the file never reads it half-written (a
    test that waits for it read it empty, under load)."""
    aside = home / f"{STACK_FILE}.part"
    aside.write_text(json.dumps(document, indent=2))
    os.replace(aside, home / STACK_FILE)


# Illustrative organisations for the demo programme's tokens.
DEMO_ORGS: dict[Role, str] = {
    Role.NALAS: "NALAS",
    Role.LGA: "ZELS",
    Role.LG: "MK-KUMANOVO",
    Role.OBSERVER: "OBSERVER",
}


def demo_tokens(settings: Settings) -> dict[str, str]:
    ttl = timedelta(hours=settings.token_ttl_hours)
    return {
        role.value: issue_token(settings.signing_secret, sub=f"demo-{role.value}", org=org, role=role, ttl=ttl)
        for role, org in DEMO_ORGS.items()
    }


def stack_document(stack: "Stack", tokens: dict[str, str]) -> dict[str, Any]:
    return {
        "portal": stack.urls.get("progress"),
        "services": dict(stack.urls),
        "kafka_bootstrap_servers": stack.settings.kafka_bootstrap_servers,
        "kafka_idempotence": stack.settings.kafka_idempotence,
        "temporal_address": stack.settings.temporal_address,
        "temporal_ui": stack.temporal_ui,
        "home": str(stack.settings.home),
        "logs": str(stack.logs),
        "tokens": tokens,
        "token_orgs": {role.value: org for role, org in DEMO_ORGS.items()},
        "database": "postgresql" if stack.settings.database_url else "sqlite",
        "schema_prefix": stack.settings.database_schema_prefix,
        "supervisor": os.getpid(),
        "processes": processes(stack),
    }


def processes(stack: "Stack") -> dict[str, int | None]:
    """Each part's process now: a part the supervisor restarted has a new one."""
    return {p.spec.name: p.pid for p in stack.processes}


def _temporal_ui(url: str | None) -> str:
    # The dev server's UI can signal and terminate lifecycles and has no sign-in: it must stay on this machine.
    return f"{url}  (this machine only: it can change lifecycles, never publish it)" if url else "(headless)"


def print_table(document: dict[str, Any], took: float) -> None:
    rows = [(name, url) for name, url in document["services"].items()]
    rows += [
        ("kafka", document["kafka_bootstrap_servers"]),
        ("temporal", document["temporal_address"]),
        ("temporal ui", _temporal_ui(document["temporal_ui"])),
        ("logs", document["logs"]),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"\nSoRi is up ({took:.1f}s). Stack file: {document['home']}/stack.json\n", flush=True)
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    print("\nDemo tokens (send as 'Authorization: Bearer …'):")
    for role, token in document["tokens"].items():
        print(f"  {role:<8} {document['token_orgs'][role]:<12} {token}")
    print("\nCtrl-C stops everything.", flush=True)
