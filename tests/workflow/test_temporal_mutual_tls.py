"""SoRi's Temporal clients and a frontend that requires client certificates (mutual TLS): the dev server behind a
TLS-terminating proxy that asks for a certificate from the clients' CA, as temporal-values.yaml makes the frontend."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import pytest
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.client import WorkflowExecutionStatus

from sori.settings import Settings
from sori.temporal import TemporalRefused, connect_temporal
from tests.support.certificates import Authority, authority
from tests.support.tls_proxy import mutual_tls_context, mutual_tls_proxy
from tests.workflow.worlds import dev_server
from workflows.lifecycle import RecommendationLifecycle, workflow_id
from workflows.messages import LifecycleClocks, LifecycleInput


@dataclass
class Frontend:
    """The proxied dev server, and the CAs: one signs the frontend's and SoRi's certificates, the other is a
    stranger's."""

    address: str
    ours: Authority
    stranger: Authority

    def settings(self, **tls: object) -> Settings:
        return Settings.model_validate({"TEMPORAL_ADDRESS": self.address, **tls})


@pytest.fixture
async def frontend(tmp_path: Path) -> AsyncIterator[Frontend]:
    ours, stranger = authority(tmp_path, "temporal-ca"), authority(tmp_path, "stranger-ca")
    context = mutual_tls_context(ours.issue("temporal-frontend", server=True), client_ca=ours.cert)
    env = await dev_server()
    try:
        async with mutual_tls_proxy(env.client.service_client.config.target_host, context) as address:
            yield Frontend(address, ours, stranger)
    finally:
        await env.shutdown()


def client_certificate(authority: Authority) -> dict[str, object]:
    issued = authority.issue(f"sori-{uuid4().hex[:8]}", server=False)
    return {"TEMPORAL_TLS_CLIENT_CERT_PATH": issued.cert, "TEMPORAL_TLS_CLIENT_KEY_PATH": issued.key}


async def test_a_client_with_the_frontends_client_certificate_connects_and_starts_a_workflow(
    frontend: Frontend,
) -> None:
    ours = frontend.settings(
        TEMPORAL_TLS_SERVER_CA_CERT_PATH=frontend.ours.cert,
        TEMPORAL_TLS_SERVER_NAME="temporal-frontend",
        **client_certificate(frontend.ours),
    )
    client = await connect_temporal(ours)
    info = await client.workflow_service.get_system_info(GetSystemInfoRequest())
    assert info.server_version
    # No worker runs: the workflow is only started and described, which goes through the frontend alone.
    recommendation = uuid4()
    handle = await client.start_workflow(
        RecommendationLifecycle.run,
        LifecycleInput(recommendation_id=recommendation, clocks=LifecycleClocks()),
        id=workflow_id(recommendation),
        task_queue=f"nobody-{uuid4()}",
    )
    assert (await handle.describe()).status == WorkflowExecutionStatus.RUNNING
    await handle.terminate("the test is over")


async def test_a_client_without_a_certificate_is_refused_and_told_so(frontend: Frontend) -> None:
    no_certificate = frontend.settings(
        TEMPORAL_TLS_SERVER_CA_CERT_PATH=frontend.ours.cert, TEMPORAL_TLS_SERVER_NAME="temporal-frontend"
    )
    with pytest.raises(TemporalRefused, match="without a client certificate") as refused:
        await connect_temporal(no_certificate)
    assert frontend.address in str(refused.value)


async def test_a_client_with_a_certificate_from_another_ca_is_refused_and_told_so(frontend: Frontend) -> None:
    strangers = client_certificate(frontend.stranger)
    stranger = frontend.settings(
        TEMPORAL_TLS_SERVER_CA_CERT_PATH=frontend.ours.cert,
        TEMPORAL_TLS_SERVER_NAME="temporal-frontend",
        **strangers,
    )
    with pytest.raises(TemporalRefused, match="over mutual TLS") as refused:
        await connect_temporal(stranger)
    assert str(strangers["TEMPORAL_TLS_CLIENT_CERT_PATH"]) in str(refused.value)


async def test_a_client_without_tls_is_refused_and_told_so(frontend: Frontend) -> None:
    with pytest.raises(TemporalRefused, match=r"without TLS \(TEMPORAL_TLS_\* unset\)"):
        await connect_temporal(frontend.settings())
