"""The `sori` command: up, serve, token, status, migrate, outbox, backup, restore, replay, bench, soak, asyncapi."""

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from uuid import UUID

from pydantic import ValidationError

from contracts.envelope import Role
from sori.auth import issue_token
from sori.log_lines import configure_logging
from sori.roles import ROLES, SERVICES
from sori.settings import Settings
from sori.version import __version__


def _replicas(given: str) -> tuple[str, int]:
    service, _, count = given.partition("=")
    if service not in SERVICES or not count.isdigit() or int(count) < 1:
        known = ", ".join(sorted(SERVICES))
        raise argparse.ArgumentTypeError(f"{given!r}: expected SERVICE=N with N at least 1 and SERVICE one of {known}")
    return service, int(count)


def _replicas_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--replicas",
        action="append",
        default=[],
        type=_replicas,
        metavar="SERVICE=N",
        help="run N processes of a service on its one database (default 1 each), e.g. progress=2; repeatable",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sori", description="SoRi: social-inclusion roadmaps, tracked end to end.")
    parser.add_argument("--version", action="version", version=f"sori {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser("up", help="start the whole system on this machine, with demo data")
    up.add_argument("--no-demo", action="store_true", help="do not load the demo programme")
    up.add_argument("--no-ui", action="store_true", help="start Temporal without its web UI")
    _replicas_option(up)

    serve = commands.add_parser("serve", help="run one process role (what `sori up` and deployments start)")
    serve.add_argument("role", choices=sorted(ROLES))
    serve.add_argument("--port", type=int, help="default: the role's port from SORI_PORT_BASE")

    token = commands.add_parser("token", help="signed bearer tokens")
    token_commands = token.add_subparsers(dest="token_command", required=True)
    issue = token_commands.add_parser("issue", help="print a token for an organisation and role")
    issue.add_argument("--org", required=True, help="organisation code, e.g. ZELS")
    issue.add_argument("--role", required=True, choices=[r.value for r in Role])
    issue.add_argument("--sub", help="who the token is for (default: <role>@<org>)")
    issue.add_argument("--hours", type=float, help="validity (default: SORI_TOKEN_TTL_HOURS)")

    status = commands.add_parser("status", help="a recommendation's state and timeline, from its workflow")
    status.add_argument("recommendation_id")
    status.add_argument("--json", action="store_true", help="print JSON instead of text")

    migrate = commands.add_parser("migrate", help="bring every service's database to the newest revision")
    migrate.add_argument(
        "--revision",
        metavar="MESSAGE",
        help="instead, write a new revision for each service whose models changed (for SoRi's developers)",
    )

    backup = commands.add_parser("backup", help="write every database, the evidence files and the mail to one archive")
    backup.add_argument(
        "file",
        nargs="?",
        type=Path,
        help="the archive (.tar.gz or .zip); default: a new one in SORI_HOME/backups, keeping SORI_BACKUP_KEEP of them",
    )
    restore = commands.add_parser("restore", help="bring back a backup (stack stopped), then migrate it")
    restore.add_argument("file", type=Path, help="an archive `sori backup` wrote")

    outbox = commands.add_parser("outbox", help="outbox rows the broker refused for good (parked), per service")
    outbox.add_argument("--service", action="append", default=[], help="only this service (may be repeated)")
    outbox.add_argument("--requeue", type=UUID, metavar="EVENT_ID", help="send this parked event again (cause fixed)")
    commands.add_parser("replay", help="rebuild progress' projections from the topics (progress stopped)")
    asyncapi = commands.add_parser("asyncapi", help="write contracts/asyncapi.json, the topics' AsyncAPI document")
    asyncapi.add_argument("--check", action="store_true", help="only say whether the file is current (1 if not)")

    bench = commands.add_parser("bench", help="measure SoRi against raw Temporal and raw Kafka, in one run")
    bench.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    bench.add_argument("--json", type=Path, help="also write the figures to this file")
    bench.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="PostgreSQL for the at-scale figures (default: DATABASE_URL; without one they are left out)",
    )

    soak = commands.add_parser("soak", help="whole journeys at a steady rate, parts killed at random, then reconciled")
    soak.add_argument("--minutes", type=float, default=10.0, help="how long to drive the workload (default 10)")
    soak.add_argument("--rate", type=float, default=4.0, help="commands per second (default 4)")
    soak.add_argument("--chaos", action="store_true", help="kill and pause parts at seeded random moments")
    soak.add_argument("--seed", type=int, help="replay a run's choices and faults (default: a new seed, printed)")
    soak.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL"), help="PostgreSQL (default: DATABASE_URL, or SQLite)"
    )
    soak.add_argument(
        "--running",
        action="store_true",
        help="drive the stack `sori up` runs on SORI_HOME (found by its stack.json) instead of starting one; with "
        "--chaos its parts are killed and paused, and `sori up` restarts them",
    )
    _replicas_option(soak)
    return parser


# Commands that hold a Temporal client until they end. The client's native runtime can abort the interpreter while it
# finalizes ("PyGILState_Release … must be current"), turning a finished command's 0 into SIGABRT (seen once in ~25
# runs of `sori status`); these commands have said and flushed everything by then, so they leave without finalizing.
LEAVE_WITHOUT_FINALIZING = {"up", "status", "bench", "soak"}
KEEP_ALIVE_SECONDS = 30


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as refused:  # a setting that cannot work: its name and why, not a traceback
        for error in refused.errors():
            print(f"sori: {error['msg'].removeprefix('Value error, ')}", file=sys.stderr)
        sys.exit(2)
    configure_logging(settings.log_level)
    code = _run(args, settings)
    if args.command in LEAVE_WITHOUT_FINALIZING:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "up":
        from sori_cli.stack.up import up

        return asyncio.run(up(settings, demo=not args.no_demo, ui=not args.no_ui, replicas=dict(args.replicas)))
    if args.command == "serve":
        return _serve(args.role, args.port, settings)
    if args.command == "token":
        hours = args.hours if args.hours is not None else settings.token_ttl_hours
        role = Role(args.role)
        sub = args.sub or f"{role.value}@{args.org}"
        print(issue_token(settings.signing_secret, sub=sub, org=args.org, role=role, ttl=timedelta(hours=hours)))
        return 0
    if args.command == "status":
        from sori_cli.status import show_status

        return asyncio.run(show_status(settings, args.recommendation_id, as_json=args.json))
    if args.command == "bench":
        from sori_cli.bench.runner import run_bench

        return run_bench(args.quick, args.json, args.database_url)
    if args.command == "soak":
        from sori_cli.soak.runner import run_soak

        if args.running and args.replicas:
            print("sori soak: --replicas is for a stack of its own; give them to `sori up`", file=sys.stderr)
            return 2
        running_on = settings.home if args.running else None
        replicas = dict(args.replicas)
        return run_soak(args.minutes, args.rate, args.chaos, args.seed, args.database_url, replicas, running_on)
    if args.command == "replay":
        from sori_cli.replay import run_replay

        return asyncio.run(run_replay(settings))
    if args.command == "outbox":
        from sori_cli.parked import requeue_parked, show_parked

        if args.requeue:
            return asyncio.run(requeue_parked(settings, args.requeue, args.service))
        return asyncio.run(show_parked(settings, args.service))
    if args.command == "asyncapi":
        from sori_cli.asyncapi import write_or_check

        return write_or_check(args.check)
    if args.command == "migrate":
        return _migrate(args.revision, settings)
    if args.command == "backup":
        from sori_cli.backup.take import take_backup

        return asyncio.run(take_backup(settings, args.file))
    if args.command == "restore":
        from sori_cli.backup.restore import restore_backup

        return asyncio.run(restore_backup(settings, args.file))
    raise AssertionError(f"unhandled command {args.command}")


def _migrate(revision: str | None, settings: Settings) -> int:
    from sori.migrations import MigrationRefused
    from sori_cli.migrate import migrate_all, write_revisions

    try:
        lines = write_revisions(revision) if revision else map(str, asyncio.run(migrate_all(settings)))
    except MigrationRefused as refused:
        print(refused, file=sys.stderr)  # the last line: what `sori up` reports
        return 1
    for line in lines:
        print(line)
    return 0


def _serve(role: str, port: int | None, settings: Settings) -> int:
    import uvicorn

    from sori.settings import SERVICE_PORT_OFFSETS

    if port is None:
        if role not in SERVICE_PORT_OFFSETS:
            print(f"sori serve {role} needs --port", file=sys.stderr)
            return 2
        port = settings.port_of(role)
    uvicorn.run(
        ROLES[role],
        factory=True,
        host=settings.host,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="on",
        # Longer than clients keep an idle connection (httpx: 5 s): at uvicorn's 5 s a client could send on a
        # connection the server was closing that moment, and lose the request (seen under load).
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )
    return 0


if __name__ == "__main__":
    main()
