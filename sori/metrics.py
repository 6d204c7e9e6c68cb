"""SoRi's own Prometheus metrics, named once so that dashboards (deploy/grafana) and code agree."""

from prometheus_client import Counter, Gauge

OUTBOX_PENDING = Gauge("sori_outbox_pending", "Outbox rows not yet published", ["service"])
OUTBOX_PARKED = Gauge(
    "sori_outbox_parked", "Outbox rows the broker refused for good, parked until re-queued (sori outbox)", ["service"]
)
DEAD_LETTERS = Counter("sori_dead_letters_total", "Events sent to a dead-letter topic", ["topic", "consumer"])
EVENT_FAILURES = Counter(
    "sori_event_failures_total",
    "Attempts to apply an event whose handler raised (retried, then dead-lettered)",
    ["consumer"],
)
CONSUMER_LAG = Gauge(
    "sori_consumer_lag",
    "Records behind the end of the partition, after the last handled one",
    ["group", "topic", "partition"],
)
WORKFLOWS_BY_STATUS = Gauge(
    "sori_workflows_by_status", "Recommendations (one lifecycle workflow each) by lifecycle status", ["status"]
)
CLOSED_LIFECYCLE_EVENTS = Counter(
    "sori_closed_lifecycle_events_total",
    "Lifecycle events the bridge dropped because their recommendation's lifecycle has closed",
)
