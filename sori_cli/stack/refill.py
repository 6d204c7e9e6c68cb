"""After the embedded broker restarts it is empty (Tansu's memory engine keeps nothing): recreate SoRi's topics
and have every outbox relay send its whole history again, so that the topics hold every event once more; then the
consumers start afresh, to read them from the start (their inbox skips what they had applied); see up.py."""

from sqlalchemy import MetaData

from sori.db import Database
from sori.outbox import OUTBOX, republish
from sori.settings import Settings
from sori_cli.stack.processes import ManagedProcess
from sori_cli.stack.readiness import topics_ready, wait_until

TOPICS_WITHIN_SECONDS = 60.0
BRIDGE = "bridge"


async def refill_broker(settings: Settings, broker: ManagedProcess) -> int:
    """Wait for the restarted broker, recreate the topics, then have the relays send every event again; how many.

    Everything, not only what the old broker had: the topics then hold the whole history in commit order, so that a
    consumer that kept its position in a partition across the restart passes over only events it has seen.
    """

    await wait_until("kafka", topics_ready(settings), within=TOPICS_WITHIN_SECONDS, process=broker)
    return await republish_all(settings)


async def republish_all(settings: Settings) -> int:
    """Mark every outbox row of every service unpublished; how many. Also what `sori restore` does (see there)."""
    # Imported here: the service modules are heavy, and only a broker restart or a restore needs them.
    from sori_cli.migrate import all_specs

    queued = 0
    for spec in all_specs():
        if OUTBOX in spec.metadata.tables:
            queued += await _republish(settings, spec.name, spec.metadata)
    return queued


async def _republish(settings: Settings, service: str, metadata: MetaData) -> int:
    db = Database(settings, service, metadata)
    try:
        async with db.transaction() as session:
            return await republish(session)
    finally:
        await db.dispose()


def consumer_groups() -> dict[str, tuple[str, ...]]:
    """Each consumer group of SoRi with the topics it reads."""
    from sori_cli.migrate import all_specs
    from workflows.bridge import DOMAIN_TOPICS, GROUP

    groups = {spec.consumer.group: spec.consumer.topics for spec in all_specs() if spec.consumer}
    return {**groups, GROUP: DOMAIN_TOPICS}


def consuming_parts() -> set[str]:
    """The parts with a consumer group; after a broker restart they begin again from the start of the topics."""
    from sori_cli.migrate import all_specs

    return {spec.name for spec in all_specs() if spec.consumer} | {BRIDGE}
