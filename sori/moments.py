"""Times as SoRi keeps them: UTC always, and a later fact never overwritten by an earlier one."""

from datetime import UTC, datetime


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time SoRi stores is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_newer(current: datetime | None, event_time: datetime) -> bool:
    """A fact from an older event never overwrites one from a newer event, whatever the delivery order."""
    return current is None or as_utc(event_time) >= as_utc(current)
