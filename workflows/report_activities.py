"""The report workflow's one way out: ask the progress service, as NALAS's scheduler, for a period's report."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from temporalio import activity
from temporalio.exceptions import ApplicationError

from contracts.envelope import Role
from sori.auth import issue_token
from sori.settings import Settings

SCHEDULER = "sori-report-schedule"
TOKEN_TTL = timedelta(minutes=10)
HTTP_TIMEOUT = 120.0


@dataclass
class OrderReportInput:
    period_end: datetime
    language: str


@dataclass
class OrderReportResult:
    report_id: str
    made_now: bool


class ReportActivities:
    def __init__(self, settings: Settings, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings
        self.transport = transport  # tests hand in the progress app itself

    def _headers(self) -> dict[str, str]:
        secret = self.settings.signing_secret
        token = issue_token(secret, sub=SCHEDULER, org="NALAS", role=Role.NALAS, ttl=TOKEN_TTL)
        return {"Authorization": f"Bearer {token}"}

    @activity.defn
    async def order_progress_report(self, order: OrderReportInput) -> OrderReportResult:
        """POST the period's report; a retry after a lost answer finds the one already made (same period end)."""
        body = {"period_end": order.period_end.isoformat(), "language": order.language, "trigger": "scheduled"}
        base_url = self.settings.url_of("progress")
        async with httpx.AsyncClient(base_url=base_url, transport=self.transport, timeout=HTTP_TIMEOUT) as http:
            response = await http.post("/progress/v1/reports", json=body, headers=self._headers())
        if response.status_code in (400, 401, 403, 404, 422):
            # A refusal will not change by asking again: fail the workflow with the reason.
            raise ApplicationError(f"progress refused the report: {response.text}", non_retryable=True)
        response.raise_for_status()
        made = response.json()
        return OrderReportResult(report_id=made["id"], made_now=response.status_code == httpx.codes.CREATED)
