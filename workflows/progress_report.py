"""ProgressReportWorkflow: started by the report Schedule, it has progress make the report of the period that
ends at the scheduled moment. The period end is the key, so a retried activity or a re-run finds the same report."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey

with workflow.unsafe.imports_passed_through():
    from workflows.report_activities import OrderReportInput, OrderReportResult, ReportActivities

TASK_QUEUE = "sori-reports"
SCHEDULED_AT = SearchAttributeKey.for_datetime("TemporalScheduledStartTime")
ORDER_TIMEOUT = timedelta(minutes=5)
ORDER_RETRY = RetryPolicy(maximum_interval=timedelta(minutes=1), maximum_attempts=30)


@dataclass
class ProgressReportInput:
    language: str = "en"
    period_end: datetime | None = None  # default: when the Schedule meant it to run


@workflow.defn
class ProgressReportWorkflow:
    @workflow.run
    async def run(self, request: ProgressReportInput) -> OrderReportResult:
        order = OrderReportInput(period_end=request.period_end or self._scheduled_at(), language=request.language)
        return await workflow.execute_activity_method(
            ReportActivities.order_progress_report,
            order,
            start_to_close_timeout=ORDER_TIMEOUT,
            retry_policy=ORDER_RETRY,
        )

    @staticmethod
    def _scheduled_at() -> datetime:
        """The Schedule's nominal time (not when a worker got to it); the start time for a run started by hand."""
        nominal = workflow.info().typed_search_attributes.get(SCHEDULED_AT)
        return (nominal or workflow.now()).astimezone(UTC).replace(microsecond=0)
