"""What social approaches reacts to; it has no subscriptions yet."""

from sori.service import EventHandler

HANDLERS: dict[str, EventHandler] = {}
