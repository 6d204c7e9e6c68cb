"""Every command that creates something honours an Idempotency-Key (tests/support/idempotency.py says the rule), on
both databases; with no key it runs as before (the other service tests)."""

import httpx

from contracts.social_approaches import MilestoneReported
from services.social_approaches.models import Evidence, MilestoneReport
from tests.support.idempotency import check_idempotency
from tests.support.services import ServiceUnderTest
from tests.support.social_approaches import API, PDF, lg, plan, reports_path
from tests.support.tokens import Tokens

# --- social approaches ---------------------------------------------------------------------------------------------


async def test_a_milestone_report_sent_again_with_its_key_is_reported_once(
    sa: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation_id, milestone_id = await plan(sa)

    async def send(headers: dict[str, str], other: bool) -> httpx.Response:
        body = {"status": "at_risk" if other else "on_track", "narrative": "Staff left." if other else "On course."}
        return await sa.http.post(
            reports_path(recommendation_id, milestone_id), json=body, headers={**lg(tokens), **headers}
        )

    await check_idempotency(sa, send, MilestoneReport, MilestoneReported.TYPE)


async def test_an_evidence_upload_sent_again_with_its_key_is_kept_once(sa: ServiceUnderTest, tokens: Tokens) -> None:
    async def send(headers: dict[str, str], other: bool) -> httpx.Response:
        content = PDF + (b"%second\n" if other else b"")
        files = {"file": ("minutes.pdf" if other else "report.pdf", content, "application/pdf")}
        return await sa.http.post(f"{API}/evidence", files=files, headers={**lg(tokens), **headers})

    await check_idempotency(sa, send, Evidence, None)
