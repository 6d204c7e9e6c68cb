"""What Temporal's retention does to a closed run, done at once: the run is deleted and Temporal forgets it."""

from uuid import UUID

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DeleteWorkflowExecutionRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from tests.polling import eventually
from workflows.lifecycle import workflow_id

# The dev server deletes a closed run in the background: ~35 s after the request (measured).
DELETED_WITHIN_SECONDS = 120.0


async def forgotten_by_temporal(client: Client, recommendation_id: UUID | str) -> bool:
    try:
        await client.get_workflow_handle(workflow_id(recommendation_id)).describe()
    except RPCError as missing:
        if missing.status is RPCStatusCode.NOT_FOUND:
            return True
        raise
    return False


async def delete_run(client: Client, recommendation_id: UUID | str) -> None:
    execution = WorkflowExecution(workflow_id=workflow_id(recommendation_id))
    request = DeleteWorkflowExecutionRequest(namespace=client.namespace, workflow_execution=execution)
    await client.workflow_service.delete_workflow_execution(request)
    await eventually(
        lambda: forgotten_by_temporal(client, recommendation_id), until=bool, within=DELETED_WITHIN_SECONDS
    )
