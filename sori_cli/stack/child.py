"""A real `sori up` in a subprocess (for the integration tests and `sori bench`): embedded broker, Temporal dev
server, every service, a real database."""

import asyncio
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sori.db import Database
from sori.settings import Settings
from sori_cli.migrate import all_specs
from sori_cli.stack.embedded import port_is_free
from sori_cli.stack.report import STACK_FILE
from sori_cli.stack.view import StackView

# A stack with replicas starts them once every first process is ready: on a loaded 2-core machine the first ones
# took 86 s and the whole did not make 120 s (a soak with two replicas of progress and of roadmaps); at a load of
# 20 (six agents' tests on 2 cores) whole soak stacks took 144-168 s. Longer than `sori up`'s own bound per part.
READY_WITHIN_SECONDS = 300.0
ENV_OF_REAL_INFRASTRUCTURE = (
    "KAFKA_BOOTSTRAP_SERVERS",
    "TEMPORAL_ADDRESS",
    "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
    "TEMPORAL_TLS_CLIENT_CERT_PATH",
    "TEMPORAL_TLS_CLIENT_KEY_PATH",
    "TEMPORAL_TLS_SERVER_NAME",
    "DATABASE_URL",
    "SORI_SECRET",
)


# Below Linux's ephemeral ports (32768 and up): a port the kernel hands to some client's connection, or to another
# stack's `free_port()`, after the check below would make a service fail to bind (seen once in a clean-clone run).
PORT_BASES = range(20_000, 32_000)


def free_port_base(count: int = 5) -> int:
    for _ in range(200):
        base = random.choice(PORT_BASES)
        if all(port_is_free(base + i) for i in range(count)):
            return base
    raise RuntimeError("no block of free ports found")


@dataclass(kw_only=True)
class RunningStack(StackView):
    """A stack this program started, and the `sori up` process it runs in."""

    process: subprocess.Popen[bytes]
    output: Path
    ready_seconds: float


def start_stack(
    home: Path, database_url: str | None, *extra_args: str, extra_env: dict[str, str] | None = None
) -> RunningStack:
    env = {k: v for k, v in os.environ.items() if k not in ENV_OF_REAL_INFRASTRUCTURE}
    env.update(extra_env or {})
    prefix = f"it{secrets.token_hex(4)}_"
    env.update(SORI_HOME=str(home), SORI_PORT_BASE=str(free_port_base()), SORI_SCHEMA_PREFIX=prefix)
    if database_url:
        env["DATABASE_URL"] = database_url
    home.mkdir(parents=True, exist_ok=True)
    output = home / "sori-up.out"
    started = time.monotonic()
    with output.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sori_cli.main", "up", "--no-ui", *extra_args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    stack_file = home / STACK_FILE
    deadline = time.monotonic() + READY_WITHIN_SECONDS
    while not stack_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"sori up did not get ready:\n{output.read_text()[-4000:]}")
        time.sleep(0.1)
    document = json.loads(stack_file.read_text())
    took = time.monotonic() - started
    return RunningStack(home, document, prefix, database_url, process=process, output=output, ready_seconds=took)


def stop_stack(stack: RunningStack, within: float = 60.0) -> int:
    stack.process.send_signal(signal.SIGTERM)
    return stack.process.wait(timeout=within)


@contextmanager
def running_stack(
    home: Path, database_url: str | None, *extra_args: str, extra_env: dict[str, str] | None = None
) -> Iterator[RunningStack]:
    """A started stack, stopped (and its PostgreSQL schemas dropped) however the block ends."""
    stack = start_stack(home, database_url, *extra_args, extra_env=extra_env)
    try:
        yield stack
    finally:
        stop_stack(stack)
        if database_url:
            asyncio.run(drop_stack_schemas(database_url, stack.schema_prefix))


async def drop_stack_schemas(database_url: str, schema_prefix: str) -> None:
    """Remove every service's PostgreSQL schema that a stack made (under its own prefix)."""
    settings = Settings(DATABASE_URL=database_url, SORI_SCHEMA_PREFIX=schema_prefix)
    for spec in all_specs():
        db = Database(settings, spec.name, spec.metadata)
        await db.drop_schema()
        await db.dispose()


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; it only waits for its parent to read its status.
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ")[-1].startswith("Z"))
