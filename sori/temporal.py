"""The one way SoRi connects to Temporal: settings' address, namespace and TLS files, pydantic-aware payloads."""

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.contrib.opentelemetry import TracingInterceptor
from temporalio.contrib.pydantic import PydanticJSONPlainPayloadConverter
from temporalio.converter import (
    CompositePayloadConverter,
    DataConverter,
    DefaultPayloadConverter,
    JSONPlainPayloadConverter,
)
from temporalio.service import TLSConfig
from temporalio.worker import UnsandboxedWorkflowRunner, WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from sori.settings import Settings

TYPE_ADAPTERS_KEPT = 1024


@lru_cache(maxsize=TYPE_ADAPTERS_KEPT)
def type_adapter(type_hint: Any) -> TypeAdapter[Any]:
    return TypeAdapter(type_hint)


class _SharedTypeAdapters(PydanticJSONPlainPayloadConverter):
    """Pydantic JSON payloads, with one cache of type adapters for the whole process.

    The SDK makes a payload converter for every workflow instance it runs, each with an empty cache of its own, so
    every new lifecycle built its type adapters again: 13 % of the lifecycle worker's CPU, profiled under load.
    """

    def from_payload(self, payload: Payload, type_hint: type | None = None) -> Any:
        hint: Any = Any if type_hint is None else type_hint
        try:
            adapter = type_adapter(hint)
        except TypeError:  # a hint that cannot be a cache key
            adapter = TypeAdapter(hint)
        return adapter.validate_json(payload.data)


class PayloadConverter(CompositePayloadConverter):
    """The SDK's default converters, with pydantic-aware JSON in place of plain JSON."""

    def __init__(self) -> None:
        json = _SharedTypeAdapters()
        defaults = DefaultPayloadConverter.default_encoding_payload_converters
        super().__init__(*(json if isinstance(c, JSONPlainPayloadConverter) else c for c in defaults))


DATA_CONVERTER = DataConverter(payload_converter_class=PayloadConverter)


class TemporalRefused(RuntimeError):
    """Temporal did not take SoRi's connection; the message says with which TLS settings it was tried."""


def tls_config(settings: Settings) -> TLSConfig | bool:
    """The TEMPORAL_TLS_* files, read when connecting (Settings checked them when the process started)."""
    if not settings.temporal_tls:
        return False

    def read(path: Path | None) -> bytes | None:
        return None if path is None else path.read_bytes()

    return TLSConfig(
        server_root_ca_cert=read(settings.temporal_tls_server_ca),
        client_cert=read(settings.temporal_tls_client_cert),
        client_private_key=read(settings.temporal_tls_client_key),
        domain=settings.temporal_tls_server_name,
    )


def _how(settings: Settings) -> str:
    if not settings.temporal_tls:
        return "without TLS (TEMPORAL_TLS_* unset)"
    if settings.temporal_tls_client_cert is None:
        return "over TLS without a client certificate (TEMPORAL_TLS_CLIENT_CERT_PATH unset)"
    return f"over mutual TLS with TEMPORAL_TLS_CLIENT_CERT_PATH={settings.temporal_tls_client_cert}"


async def connect_temporal(settings: Settings) -> Client:
    target = settings.temporal_target
    try:
        return await Client.connect(
            target,
            namespace=settings.temporal_namespace,
            data_converter=DATA_CONVERTER,
            # Workers made from this client trace too: workflow and activity spans join the caller's trace.
            interceptors=[TracingInterceptor()],
            tls=tls_config(settings),
        )
    except RuntimeError as exc:  # the SDK's native core says only "Failed client connect" and a transport error
        raise TemporalRefused(f"Temporal at {target} did not accept SoRi's connection {_how(settings)}: {exc}") from exc


def workflow_runner(settings: Settings) -> WorkflowRunner:
    """The sandbox re-imports a workflow's module for every instance and wraps every activation: under load it was
    ~25 % of the lifecycle worker's CPU and ~10 MB of its peak memory. The workflow tests and the replays of recorded
    histories always run in it, so a non-deterministic call in a workflow's own module fails them (what a workflow
    imports through `imports_passed_through` is not checked, in or out of it); SORI_WORKFLOW_SANDBOX turns it on."""
    return SandboxedWorkflowRunner() if settings.workflow_sandbox else UnsandboxedWorkflowRunner()


async def temporal_reachable(client: Client) -> bool:
    return await client.service_client.check_health()
