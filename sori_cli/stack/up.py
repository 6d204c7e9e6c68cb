"""`sori up`: start the embedded broker and Temporal, every service, the bridge and the worker; supervise them."""

import asyncio
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from textwrap import indent
from typing import Any

from sori.settings import Settings
from sori.temporal import connect_temporal
from sori_cli.stack.embedded import (
    TemporalPorts,
    free_port,
    port_is_free,
    release_cached_pages,
    tansu_argv,
    temporal_argv,
    temporal_binary,
)
from sori_cli.stack.processes import ManagedProcess, ProcessSpec
from sori_cli.stack.readiness import StartFailed, http_ready, topics_ready, wait_until
from sori_cli.stack.report import (
    STACK_FILE,
    demo_tokens,
    print_table,
    stack_document,
    write_stack_file,
)

# How long a part that is still running may take to be ready. At a load of 20-29 on 2 cores a service took over 90 s
# from its start to uvicorn's first line (its imports alone), and `sori up` gave up on a stack that would have come up
# (two of six chaos soaks in a row).
READY_WITHIN_SECONDS = 180.0
TEMPORAL_ATTEMPTS = 3
MALLOC_ARENAS = "2"


class Interrupted(Exception):
    pass


def say(line: str) -> None:
    print(line, flush=True)


def role_of(part: str) -> str:
    """What a part runs: its name, or for a service's further replicas ("progress-2") the service's."""
    return part.partition("-")[0]


@dataclass
class Stack:
    settings: Settings
    ui: bool
    replicas: dict[str, int] = field(default_factory=dict)  # services that run more than one process
    processes: list[ManagedProcess] = field(default_factory=list)
    urls: dict[str, str] = field(default_factory=dict)
    temporal_ui: str | None = None
    document: dict[str, Any] = field(default_factory=dict)  # what stack.json says, once everything is ready
    stopping: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def logs(self) -> Path:
        return self.settings.home / "logs"

    def child_env(self) -> dict[str, str]:
        s = self.settings
        # glibc gives each thread that allocates at once an arena of its own, up to 8 per core, and an arena keeps
        # what is freed in it: the worker's ~20 threads under load peaked 3-11 MB higher without this cap, in three
        # alternating pairs of runs (identical starts differ by up to 10 MB, so more runs would tell it better).
        env = {"MALLOC_ARENA_MAX": MALLOC_ARENAS} | dict(os.environ)
        env.update(SORI_HOME=str(s.home), SORI_SECRET=s.signing_secret, SORI_PORT_BASE=str(s.port_base))
        env.update(SORI_KAFKA_IDEMPOTENCE=str(s.kafka_idempotence).lower())
        known = {
            "KAFKA_BOOTSTRAP_SERVERS": s.kafka_bootstrap_servers,
            "TEMPORAL_ADDRESS": s.temporal_address,
            "DATABASE_URL": s.database_url,
        }
        env.update({name: value for name, value in known.items() if value})
        return env

    def spawn(
        self, name: str, argv: list[str], ready_url: str | None = None, *, background: bool = False
    ) -> ManagedProcess:
        """Start a part; a background part (no one waits on it for an answer) yields the CPU to the services'."""
        nice = self.settings.background_nice if background else 0
        spec = ProcessSpec(name, argv, self.child_env(), self.logs / f"{name}.log", ready_url, nice)
        process = ManagedProcess(spec)
        process.start()
        self.processes.append(process)
        return process

    async def stop_all(self) -> None:
        # Reverse order: services drain before the broker and Temporal go.
        for process in reversed(self.processes):
            await asyncio.to_thread(process.stop)


async def start_broker(stack: Stack) -> None:
    if stack.settings.kafka_bootstrap_servers:
        say(f"▸ Kafka: using {stack.settings.kafka_bootstrap_servers}")
    else:
        port = free_port()
        stack.settings.kafka_bootstrap_servers = f"127.0.0.1:{port}"
        # Tansu answers InitProducerId with an error, so an idempotent producer could not start.
        stack.settings.kafka_idempotence = False
        say("▸ starting the embedded Kafka-protocol broker (tansu) …")
        stack.spawn("kafka", tansu_argv(port), background=True)

    broker = next((p for p in stack.processes if p.spec.name == "kafka"), None)
    took = await wait_until("kafka", topics_ready(stack.settings), within=READY_WITHIN_SECONDS, process=broker)
    say(f"  ✓ Kafka ready with SoRi's topics at {stack.settings.kafka_bootstrap_servers} ({took:.1f}s)")


async def start_temporal(stack: Stack) -> None:
    if stack.settings.temporal_address:
        say(f"▸ Temporal: using {stack.settings.temporal_address}")
        took = await _temporal_ready(stack)
    else:
        say("▸ starting the Temporal dev server …")
        took = await _start_embedded_temporal(stack)
    say(f"  ✓ Temporal ready at {stack.settings.temporal_address} ({took:.1f}s)")


async def _start_embedded_temporal(stack: Stack) -> float:
    """The dev server on ports free a moment ago; another process may take one of them meanwhile, so a server that
    exits while starting is tried again on other ports."""
    for _ in range(TEMPORAL_ATTEMPTS - 1):
        process = _spawn_temporal(stack)
        try:
            return await _temporal_ready(stack, process)
        except StartFailed as failed:
            if process.exit_code() is None:
                raise
            stack.processes.remove(process)
            say(f"  … {failed.why} (see {failed.log}); trying other ports")
    return await _temporal_ready(stack, _spawn_temporal(stack))


def _spawn_temporal(stack: Stack) -> ManagedProcess:
    ports = TemporalPorts.pick()
    stack.settings.temporal_address = f"127.0.0.1:{ports.grpc}"
    stack.temporal_ui = f"http://127.0.0.1:{ports.ui}" if stack.ui else None
    release_cached_pages(temporal_binary())
    return stack.spawn("temporal", temporal_argv(ports, stack.settings.home / "temporal.db", stack.ui), background=True)


async def _temporal_ready(stack: Stack, process: ManagedProcess | None = None) -> float:
    async def healthy() -> bool:
        client = await connect_temporal(stack.settings)
        return await client.service_client.check_health()

    return await wait_until("temporal", healthy, within=READY_WITHIN_SECONDS, process=process)


def role_ports(settings: Settings, replicas: dict[str, int]) -> dict[str, int]:
    """Each part's port: a service's own, then any port for its further replicas and the pipeline."""
    from sori.roles import PIPELINE, SERVICES

    ports = {name: settings.port_of(name) for name in SERVICES}
    busy = [f"{name} ({port})" for name, port in ports.items() if not port_is_free(port)]
    if busy:
        raise StartFailed("services", f"cannot start: ports in use: {', '.join(busy)}; set SORI_PORT_BASE")
    further = [f"{name}-{n}" for name, count in replicas.items() for n in range(2, count + 1)]
    return {**ports, **{name: free_port() for name in [*further, *PIPELINE]}}


async def start_roles(stack: Stack, ports: dict[str, int]) -> None:
    say("▸ starting services, bridge and worker …")
    first = {name: port for name, port in ports.items() if role_of(name) == name}
    # Each part migrates its own database before it serves (the bridge reads the worker's); a service's further
    # replicas start once it is ready, its database at the head, so that they find nothing left to migrate.
    await _start_parts(stack, first)
    await _start_parts(stack, {name: port for name, port in ports.items() if name not in first})


async def _start_parts(stack: Stack, ports: dict[str, int]) -> None:
    from sys import executable

    from sori.roles import PIPELINE

    started = []
    for name, port in ports.items():
        url = f"http://127.0.0.1:{port}"
        stack.urls[name] = url
        argv = [executable, "-m", "sori_cli.main", "serve", role_of(name), "--port", str(port)]
        started.append(stack.spawn(name, argv, ready_url=f"{url}/readyz", background=name in PIPELINE))
    waits = [
        wait_until(p.spec.name, http_ready(p.spec.ready_url or ""), within=READY_WITHIN_SECONDS, process=p)
        for p in started
    ]
    for process, took in zip(started, await asyncio.gather(*waits), strict=True):
        say(f"  ✓ {process.spec.name} ready at {stack.urls[process.spec.name]} ({took:.1f}s)")


async def bring_up(stack: Stack, demo: bool) -> None:
    started = time.monotonic()
    ports = role_ports(stack.settings, stack.replicas)
    await start_broker(stack)
    await start_temporal(stack)
    await start_roles(stack, ports)
    tokens = demo_tokens(stack.settings)
    loaded = stack.settings.home / "demo-loaded"
    if demo and not loaded.exists():
        from sori_cli.stack.demo import load_demo

        say("▸ loading the demo programme (illustrative data) …")
        summaries = await load_demo(stack.settings, stack.urls, tokens)
        loaded.write_text("\n".join(summaries))
        for summary in summaries:
            say(f"  ✓ {summary}")
    stack.document = stack_document(stack, tokens)
    write_stack_file(stack.settings.home, stack.document)
    print_table(stack.document, time.monotonic() - started)


# Files for the owner alone (0600, directories 0700): the mask that `sori up` and every part it starts inherit.
OWNER_ONLY = 0o077


def private_home(home: Path) -> None:
    """SORI_HOME, readable by its owner alone, and all that is written there from now on.

    It holds the signing secret, stack.json's 12-hour tokens, databases with webhook secrets, logs and mail. The
    umask covers what any part creates, in any language (Temporal's database, the maildir); the directory's own mode
    also covers what an earlier start left there with looser modes.
    """
    os.umask(OWNER_ONLY)
    home.mkdir(parents=True, exist_ok=True)
    home.chmod(0o700)


async def up(settings: Settings, *, demo: bool = True, ui: bool = True, replicas: dict[str, int] | None = None) -> int:
    settings.home = settings.home.resolve()
    private_home(settings.home)
    (settings.home / STACK_FILE).unlink(missing_ok=True)
    stack = Stack(settings, ui=ui, replicas=replicas or {})
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stack.stopping.set)
    bring = asyncio.create_task(bring_up(stack, demo))
    stop = asyncio.create_task(stack.stopping.wait())
    try:
        await asyncio.wait({bring, stop}, return_when=asyncio.FIRST_COMPLETED)
        if bring.done():
            bring.result()
            from sori_cli.stack.supervise import supervise

            await supervise(stack)
        else:
            bring.cancel()
        return 0
    except StartFailed as failed:
        say(f"✗ {failed}" + (f"; see its log: {failed.log}" if failed.log else ""))
        if failed.tail:
            say(f"  its log ends:\n{indent(failed.tail, '    ')}")
        return 1
    finally:
        stop.cancel()
        say("▸ stopping …")
        await stack.stop_all()
        (settings.home / STACK_FILE).unlink(missing_ok=True)
        say("  ✓ stopped")
