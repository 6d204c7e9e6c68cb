"""Progress' rules: how a lifecycle fact changes the projection of a recommendation."""

from datetime import UTC, datetime


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time SoRi stores is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_newer(current: datetime | None, event_time: datetime) -> bool:
    """A status from an older event never overwrites one from a newer event, whatever the delivery order."""
    return current is None or as_utc(event_time) >= as_utc(current)
