"""Progress' rules: a projection takes a lifecycle fact only if it is not older than what it already shows."""

from sori.moments import as_utc, is_newer

__all__ = ["as_utc", "is_newer"]
