"""The logging configuration every process uses: a normal start and a steady state print no error that is not one,
and no library's chatter at INFO."""

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from aiokafka.admin import AIOKafkaAdminClient
from faststream.kafka import TestKafkaBroker

from services.notifications.app import SPEC as NOTIFICATIONS
from services.progress.reports.content import ReportContent
from services.progress.reports.layout import lay_out
from services.progress.reports.pdf import render_pdf
from sori.kafka import make_broker
from sori.log_lines import configure_logging
from sori.service import ServiceRuntime
from sori.settings import Settings
from sori_cli.stack.embedded import free_port
from sori_cli.stack.readiness import StartFailed, topics_ready, wait_until
from tests.polling import eventually


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def of(self, logger: str) -> list[logging.LogRecord]:
        return [r for r in self.records if r.name == logger or r.name.startswith(f"{logger}.")]


@pytest.fixture
def configured() -> Iterator[Records]:
    """The processes' configuration at INFO, with what reaches the root's handler recorded; undone afterwards."""
    root = logging.getLogger()
    handlers, levels = root.handlers[:], _levels()
    configure_logging("INFO")
    records = Records()
    root.addHandler(records)
    yield records
    root.handlers[:] = handlers
    for name in _levels():
        logging.getLogger(name or None).setLevel(levels.get(name, logging.NOTSET))
    structlog.reset_defaults()


def _levels() -> dict[str, int]:
    loggers = logging.root.manager.loggerDict.items()
    return {"": logging.root.level} | {n: lg.level for n, lg in loggers if isinstance(lg, logging.Logger)}


def test_rendering_a_pdf_report_logs_nothing_at_info(configured: Records, content: ReportContent) -> None:
    render_pdf(lay_out(content))

    assert configured.of("fontTools") == []
    assert configured.of("fpdf") == []


def errors(records: Records) -> list[str]:
    return [r.getMessage() for r in records.records if r.levelno >= logging.ERROR]


async def test_sori_up_waiting_for_the_broker_to_listen_logs_no_error(configured: Records) -> None:
    nothing_listens = Settings(KAFKA_BOOTSTRAP_SERVERS=f"127.0.0.1:{free_port()}")

    with pytest.raises(StartFailed):
        await wait_until("kafka", topics_ready(nothing_listens), within=0.5)

    assert errors(configured) == []


async def test_readiness_asks_a_broker_still_starting_nothing_and_logs_no_error(
    configured: Records, tmp_path: Path
) -> None:
    settings = Settings(SORI_HOME=tmp_path, DATABASE_URL=None, KAFKA_BOOTSTRAP_SERVERS=f"127.0.0.1:{free_port()}")
    broker = make_broker(settings, client_id="test")
    runtime = ServiceRuntime(NOTIFICATIONS, settings, broker)
    # As the broker's start leaves it while its admin client bootstraps: made, not yet told of any broker.
    broker.config.admin.admin_client = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_servers)

    assert not await runtime.broker_reachable()

    assert errors(configured) == []
    await runtime.db.dispose()


async def test_readiness_asks_a_broker_once_started(tmp_path: Path) -> None:
    settings = Settings(SORI_HOME=tmp_path, DATABASE_URL=None)
    broker = make_broker(settings, client_id="test")
    runtime = ServiceRuntime(NOTIFICATIONS, settings, broker)
    async with TestKafkaBroker(broker):
        await runtime.start()
        try:
            assert await eventually(runtime.broker_reachable)
        finally:
            await runtime.stop()
