"""Fixtures every tier shares: settings on a fresh SORI_HOME, a real database (SQLite and PostgreSQL), tokens, each
service in-process, and the order in which `make test`'s workers take the tiers."""

import gc
import math
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from services.progress.reports.content import ReportContent
from sori.settings import Settings
from tests.support.databases import DATABASES, POSTGRES_URL
from tests.support.notifications import fast
from tests.support.report_content import report_content
from tests.support.services import ServiceUnderTest, service_under_test, spec_and_factory
from tests.support.tokens import Tokens

# A stack's background parts (broker, Temporal, bridge, worker) run at `sori up`'s lower priority, where the other
# xdist worker's tests would outrank them for the CPU the stack's tests wait on.
os.environ.setdefault("SORI_BACKGROUND_NICE", "0")


@pytest.fixture(autouse=True)
def _startup_objects_collectable_again() -> Iterator[None]:
    """A started app sets its objects aside from the garbage collector for the process's life (sori/heap.py); a test
    process starts hundreds, so each test hands what its apps set aside back to the collector."""
    yield
    gc.unfreeze()


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest) -> str | None:
    return POSTGRES_URL if request.param == "postgresql" else None


@pytest.fixture
def settings(tmp_path: Path, database_url: str | None) -> Settings:
    return Settings(
        SORI_HOME=tmp_path / "home",
        DATABASE_URL=database_url,
        SORI_SCHEMA_PREFIX=f"t{secrets.token_hex(4)}_",
        SORI_SECRET=secrets.token_urlsafe(32),
        SORI_OUTBOX_POLL_SECONDS=0.05,
    )


@pytest.fixture
def tokens(settings: Settings) -> Tokens:
    return Tokens(settings.signing_secret)


TIERS = {"unit", "service", "workflow", "integration", "deploy", "security", "browser", "faults"}
# Tiers that start whole stacks. Under pytest-xdist (`make test`, three workers on two cores) each is one scope, so one
# worker takes all of integration's tests in turn and another all of faults' (a stack's tests spend much of their
# time waiting on its processes and timers, which the third worker's in-process tests fill); whoever is free takes the
# in-process tests, and the browser tier comes last of all.
REAL_STACK_TIERS = {"integration", "faults"}
LAST_TIERS = {"browser"}
# The integration tests that share a stack per database run last of the real-stack tiers: pytest keeps a shared stack
# up until the next test needs another (or its folder ends), so no other stack ever starts beside it.
SHARED_STACK = "shared_stack"


def tier_of(nodeid: str) -> str | None:
    """The tier of a test under tests/<tier>/, from its node id (all the scheduler is given)."""
    parts = nodeid.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "tests" and parts[1] in TIERS else None


def pytest_itemcollected(item: pytest.Item) -> None:
    """Tiers mirror the tree: a test under tests/<tier>/ carries the <tier> marker, for `make <tier>`."""
    if tier := tier_of(item.nodeid):
        item.add_marker(getattr(pytest.mark, tier))


@pytest.hookimpl(trylast=True)  # after pytest has grouped the tests of each parametrized stack
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The real-stack tiers come first and the last tiers last, the order in which `make test`'s scheduler hands them
    out."""
    items.sort(key=lambda item: (_turn(tier_of(item.nodeid)), SHARED_STACK in getattr(item, "fixturenames", ())))


def _turn(tier: str | None) -> int:
    return 0 if tier in REAL_STACK_TIERS else 2 if tier in LAST_TIERS else 1


def scope_of(nodeid: str) -> str:
    """Each real-stack tier, and the last tier, is one scope, so one worker takes all its tests in turn; every other
    test is a scope of its own."""
    tier = tier_of(nodeid)
    return tier if tier in REAL_STACK_TIERS | LAST_TIERS else nodeid


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadgroup` with our own groups, handed out in collection order. xdist's `xdist_group` marker does
    nothing under pytest 9.2: xdist 3.8 renames a grouped test by setting `item._nodeid`, which pytest 9.2 no longer
    reads (nodes keep `_id`)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    # xdist would otherwise hand out the scopes with the most tests first, the browser tier among them.
    config.option.loadscopereorder = False

    class RealStacksInTurn(LoadScopeScheduling):  # type: ignore[misc]  # xdist ships no types
        def _split_scope(self, nodeid: str) -> str:
            return scope_of(nodeid)

    return RealStacksInTurn(config, log)


@dataclass
class WorkerTime:
    """One xdist worker's share of `make test`: from its first test's start to its last one's end."""

    first: float = math.inf
    last: float = 0.0
    tiers: set[str] = field(default_factory=set)


WORKER_TIMES: dict[str, WorkerTime] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """On `make test`'s controller, which sees every worker's reports: when each worker was busy, and with what."""
    gateway = getattr(getattr(report, "node", None), "gateway", None)
    if gateway is None:
        return
    worker = WORKER_TIMES.setdefault(gateway.id, WorkerTime())
    worker.first, worker.last = min(worker.first, report.start), max(worker.last, report.stop)
    worker.tiers.add(tier_of(report.nodeid) or "other")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Each worker's span, to balance the two (the run takes as long as the longer)."""
    for name, worker in sorted(WORKER_TIMES.items()):
        minutes, seconds = divmod(worker.last - worker.first, 60)
        terminalreporter.write_line(f"{name}: {minutes:.0f} min {seconds:02.0f} s ({', '.join(sorted(worker.tiers))})")


def in_process(fixture: str, service: str) -> Any:
    """A fixture named `fixture` that runs `service`'s real app in-process on the test's settings and database."""

    @pytest.fixture(name=fixture)
    async def running(settings: Settings) -> AsyncIterator[ServiceUnderTest]:
        spec, factory = spec_and_factory(service)
        async with service_under_test(settings, spec, factory) as started:
            yield started

    return running


roadmaps = in_process("roadmaps", "roadmaps")
wg = in_process("wg", "working_group")
sa = in_process("sa", "social_approaches")
progress = in_process("progress", "progress")


@pytest.fixture
async def notifications(settings: Settings) -> AsyncIterator[ServiceUnderTest]:
    from services.notifications.app import SPEC, create_app

    notify = fast(settings.home)
    async with service_under_test(settings, SPEC, lambda s, b: create_app(s, b, notify)) as service:
        yield service


@pytest.fixture
def content() -> ReportContent:
    return report_content()
