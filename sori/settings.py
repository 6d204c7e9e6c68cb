"""Settings from the environment; nothing connects or reads files at import time."""

import secrets
import ssl
from functools import cached_property
from pathlib import Path
from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICE_PORT_OFFSETS: dict[str, int] = {
    "progress": 0,
    "roadmaps": 1,
    "working_group": 2,
    "social_approaches": 3,
    "notifications": 4,
}


# Each setting is read from its alias alone (SORI_* and the standard infrastructure names): matching field names too
# would read generic variables every shell has, so that HOME became SoRi's home and HOST its listening address.
OWN_NAMES_ONLY = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=False)


class Settings(BaseSettings):
    model_config = OWN_NAMES_ONLY

    kafka_bootstrap_servers: str | None = Field(default=None, alias="KAFKA_BOOTSTRAP_SERVERS")
    temporal_address: str | None = Field(default=None, alias="TEMPORAL_ADDRESS")
    temporal_namespace: str = Field(default="default", alias="TEMPORAL_NAMESPACE")
    # Temporal's own names for its client's TLS files (the `temporal` CLI reads them too), as for TEMPORAL_ADDRESS.
    temporal_tls_server_ca: Path | None = Field(
        default=None,
        alias="TEMPORAL_TLS_SERVER_CA_CERT_PATH",
        description="the CA certificate (PEM) the Temporal frontend's certificate must come from; any TEMPORAL_TLS_* "
        "setting makes SoRi reach Temporal over TLS",
    )
    temporal_tls_client_cert: Path | None = Field(
        default=None,
        alias="TEMPORAL_TLS_CLIENT_CERT_PATH",
        description="the certificate (PEM) SoRi shows the Temporal frontend (mutual TLS), with "
        "TEMPORAL_TLS_CLIENT_KEY_PATH",
    )
    temporal_tls_client_key: Path | None = Field(
        default=None, alias="TEMPORAL_TLS_CLIENT_KEY_PATH", description="the private key (PEM) of that certificate"
    )
    temporal_tls_server_name: str | None = Field(
        default=None,
        alias="TEMPORAL_TLS_SERVER_NAME",
        description="the name the frontend's certificate carries, where it is not the host of TEMPORAL_ADDRESS",
    )
    temporal_task_queue: str = Field(default="sori-lifecycle", alias="SORI_TASK_QUEUE")
    database_url: str | None = Field(default=None, alias="DATABASE_URL")
    database_schema_prefix: str = Field(
        default="", alias="SORI_SCHEMA_PREFIX", description="prefix of each service's PostgreSQL schema"
    )
    database_pool_size: int = Field(
        default=15,
        ge=1,
        alias="SORI_DATABASE_POOL_SIZE",
        description="connections each service keeps to its database, and the most it opens",
    )
    database_ping_after_seconds: float = Field(
        default=0.5,
        ge=0,
        alias="SORI_DATABASE_PING_AFTER_SECONDS",
        description="how long a pooled PostgreSQL connection may rest before it is pinged on its next use",
    )
    background_nice: int = Field(
        default=19,
        ge=0,
        le=19,
        alias="SORI_BACKGROUND_NICE",
        description="how far `sori up` lowers the CPU priority of the broker, Temporal, the bridge and the worker",
    )
    workflow_cache_size: int = Field(
        default=50,
        ge=1,
        alias="SORI_WORKFLOW_CACHE_SIZE",
        description="lifecycle workflows the worker keeps in memory between their events (Temporal's sticky cache)",
    )
    workflow_sandbox: bool = Field(
        default=False,
        alias="SORI_WORKFLOW_SANDBOX",
        description="run workflows in Temporal's sandbox, which refuses non-deterministic calls (the workflow tests "
        "always do); the worker spends more CPU and memory on it",
    )
    home: Path = Field(default=Path(".sori"), alias="SORI_HOME")
    port_base: int = Field(default=8000, alias="SORI_PORT_BASE")
    host: str = Field(default="127.0.0.1", alias="SORI_HOST", description="address the HTTP servers listen on")
    secret: str | None = Field(default=None, alias="SORI_SECRET")
    secure_cookies: bool = Field(
        default=False,
        alias="SORI_SECURE_COOKIES",
        description="mark every portal cookie Secure, whatever scheme the request seems to have come by (set it "
        "behind a TLS-terminating proxy: the request reaches the process over plain HTTP)",
    )
    lifecycle_key: str | None = Field(
        default=None,
        alias="SORI_LIFECYCLE_KEY",
        description="the key the bridge proves a lifecycle event came from a topic with, and the worker checks; "
        "default: derived from SORI_SECRET",
    )
    token_ttl_hours: int = Field(default=12, alias="SORI_TOKEN_TTL_HOURS")
    kafka_partitions: int = Field(default=3, alias="SORI_KAFKA_PARTITIONS")
    kafka_replication: int = Field(default=1, alias="SORI_KAFKA_REPLICATION")
    kafka_idempotence: bool = Field(
        default=True,
        alias="SORI_KAFKA_IDEMPOTENCE",
        description="idempotent producers (Kafka refuses a retried send twice); `sori up` turns it off for the "
        "embedded broker, which cannot hand out producer ids",
    )
    outbox_batch_size: int = Field(default=500, alias="SORI_OUTBOX_BATCH")
    # A commit wakes its own relay at once; the poll only picks up rows that other replicas' relays left.
    outbox_poll_seconds: float = Field(default=1.0, alias="SORI_OUTBOX_POLL_SECONDS")
    idempotency_hours: float = Field(
        default=24,
        ge=24,
        alias="SORI_IDEMPOTENCY_HOURS",
        description="how long a command's Idempotency-Key and its first answer are kept (at least a day); an expired "
        "key may be used again",
    )
    log_level: str = Field(default="INFO", alias="SORI_LOG_LEVEL")
    review_due_days: float = Field(default=14, alias="SORI_REVIEW_DUE_DAYS")
    milestone_reminder_days: float = Field(default=7, alias="SORI_MILESTONE_REMINDER_DAYS")
    escalation_days: float = Field(default=7, alias="SORI_ESCALATION_DAYS")
    milestone_overdue_days: float = Field(default=1, alias="SORI_MILESTONE_OVERDUE_DAYS")
    draft_idle_days: float = Field(default=30, alias="SORI_DRAFT_IDLE_DAYS")
    final_grace_days: float = Field(default=30, alias="SORI_FINAL_GRACE_DAYS")
    women_and_girls_target_percent: float = Field(
        default=20,
        alias="SORI_WOMEN_AND_GIRLS_TARGET",
        description="share (%) of social approaches that should carry the women-and-girls marker",
    )
    dashboard_max_age_seconds: float = Field(
        default=2.0,
        alias="SORI_DASHBOARD_MAX_AGE_SECONDS",
        description="how old a dashboard may be while the projections keep changing (0: always recomputed then)",
    )
    dashboard_stale_seconds: float = Field(
        default=30.0,
        alias="SORI_DASHBOARD_STALE_SECONDS",
        description="up to this age an outdated dashboard is served while its successor is computed (0: never)",
    )
    programme_clocks: dict[str, dict[str, float]] = Field(
        default_factory=dict,
        alias="SORI_PROGRAMME_CLOCKS",
        description='per-programme overrides, JSON: {"SoRi 3": {"review_due_days": 21}}',
    )
    report_schedule: str = Field(
        default="0 6 1 * *",
        alias="SORI_REPORT_SCHEDULE",
        description="when the periodic progress report is made: a cron expression in UTC (default: monthly)",
    )
    backup_schedule: str | None = Field(
        default=None,
        alias="SORI_BACKUP_SCHEDULE",
        description="when the worker takes a backup into SORI_HOME/backups: a cron expression in UTC (unset: never)",
    )
    backup_keep: int = Field(
        default=7, ge=1, alias="SORI_BACKUP_KEEP", description="how many scheduled backups are kept, the newest"
    )

    open_data_license: str = Field(
        default="CC-BY-4.0",
        alias="SORI_OPEN_DATA_LICENSE",
        description="the SPDX identifier of the licence the open data at /public/data/ is published under",
    )
    iati_reporting_org: str | None = Field(
        default=None,
        alias="SORI_IATI_REPORTING_ORG",
        description="the IATI organisation identifier of who publishes /public/data/iati-activities.xml (unset: "
        "no IATI file)",
    )
    iati_reporting_org_name: str = Field(
        default="NALAS, Network of Associations of Local Authorities of South-East Europe",
        alias="SORI_IATI_REPORTING_ORG_NAME",
    )
    iati_reporting_org_type: str = Field(
        default="21",
        alias="SORI_IATI_REPORTING_ORG_TYPE",
        description="IATI OrganisationType code (21: an international NGO)",
    )
    iati_activity_prefix: str | None = Field(
        default=None,
        alias="SORI_IATI_ACTIVITY_PREFIX",
        description="what every IATI activity identifier starts with; it must start with SORI_IATI_REPORTING_ORG "
        "(default: that identifier)",
    )

    service_urls: dict[str, str] = Field(
        default_factory=dict,
        alias="SORI_SERVICE_URLS",
        description='where a process reaches another service (portal, report worker), JSON: {"roadmaps": "http://roadmaps:8001"}',
    )

    @model_validator(mode="after")
    def _temporal_tls_is_whole(self) -> Self:
        """Half a TLS configuration is refused when the process starts, naming the setting: left to the Temporal
        SDK, it fails on the first connection, deep inside its native core."""
        refusal = _temporal_tls_refusal(self)
        if refusal:
            raise ValueError(refusal)
        return self

    @model_validator(mode="after")
    def _iati_identifiers_are_the_reporting_org_s(self) -> Self:
        """IATI's rulesets refuse an activity whose identifier does not start with its reporting organisation's."""
        org, prefix = self.iati_reporting_org, self.iati_activity_prefix
        if prefix is not None and (org is None or not prefix.startswith(org)):
            raise ValueError(f"SORI_IATI_ACTIVITY_PREFIX ({prefix}) must start with SORI_IATI_REPORTING_ORG ({org})")
        return self

    @property
    def temporal_tls(self) -> bool:
        return any(
            value is not None
            for value in (
                self.temporal_tls_server_ca,
                self.temporal_tls_client_cert,
                self.temporal_tls_client_key,
                self.temporal_tls_server_name,
            )
        )

    def port_of(self, service: str) -> int:
        return self.port_base + SERVICE_PORT_OFFSETS[service]

    def url_of(self, service: str) -> str:
        """SORI_SERVICE_URLS' entry, else the service on this machine at its port."""
        return self.service_urls.get(service) or f"http://127.0.0.1:{self.port_of(service)}"

    @property
    def kafka_servers(self) -> str:
        if not self.kafka_bootstrap_servers:
            raise RuntimeError("KAFKA_BOOTSTRAP_SERVERS is not set (sori up sets it for what it starts)")
        return self.kafka_bootstrap_servers

    @property
    def temporal_target(self) -> str:
        if not self.temporal_address:
            raise RuntimeError("TEMPORAL_ADDRESS is not set (sori up sets it for what it starts)")
        return self.temporal_address

    @cached_property
    def signing_secret(self) -> str:
        """SORI_SECRET, or the one kept in SORI_HOME, made on first use so that no secret lives in the repo."""
        if self.secret:
            return self.secret
        path = self.home / "secret"
        if not path.exists():
            self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(48))
        return path.read_text().strip()


def _temporal_tls_refusal(settings: Settings) -> str | None:
    """Why the TEMPORAL_TLS_* settings cannot work, checked with OpenSSL (Python's ssl module); None when they can."""
    ca, cert, key = settings.temporal_tls_server_ca, settings.temporal_tls_client_cert, settings.temporal_tls_client_key
    if (cert is None) != (key is None):
        given, missing = (
            ("TEMPORAL_TLS_CLIENT_CERT_PATH", "TEMPORAL_TLS_CLIENT_KEY_PATH")
            if key is None
            else ("TEMPORAL_TLS_CLIENT_KEY_PATH", "TEMPORAL_TLS_CLIENT_CERT_PATH")
        )
        return f"{given} is set but {missing} is not: a client certificate goes with its private key"
    files = {
        "TEMPORAL_TLS_SERVER_CA_CERT_PATH": ca,
        "TEMPORAL_TLS_CLIENT_CERT_PATH": cert,
        "TEMPORAL_TLS_CLIENT_KEY_PATH": key,
    }
    for name, path in files.items():
        if path is not None and not path.is_file():
            return f"{name}={path}: no such file"
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca is not None:
        try:
            context.load_verify_locations(cafile=ca)
        except (ssl.SSLError, OSError) as exc:
            return f"TEMPORAL_TLS_SERVER_CA_CERT_PATH={ca}: not a readable PEM certificate ({exc})"
    if cert is not None and key is not None:
        try:
            # An encrypted key is refused here rather than prompting for its passphrase: the SDK cannot use one.
            context.load_cert_chain(certfile=cert, keyfile=key, password=lambda: b"")
        except (ssl.SSLError, OSError) as exc:
            return (
                f"TEMPORAL_TLS_CLIENT_CERT_PATH={cert} and TEMPORAL_TLS_CLIENT_KEY_PATH={key}: not a readable PEM "
                f"certificate and its unencrypted private key ({exc})"
            )
    return None
