"""The one way SoRi connects to Temporal: settings' address and namespace, pydantic-aware payloads."""

from temporalio.client import Client
from temporalio.contrib.opentelemetry import TracingInterceptor
from temporalio.contrib.pydantic import pydantic_data_converter

from sori.settings import Settings


async def connect_temporal(settings: Settings) -> Client:
    return await Client.connect(
        settings.temporal_target,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
        # Workers made from this client trace too: workflow and activity spans join the caller's trace.
        interceptors=[TracingInterceptor()],
    )


async def temporal_reachable(client: Client) -> bool:
    return await client.service_client.check_health()
