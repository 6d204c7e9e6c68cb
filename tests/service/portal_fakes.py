"""The services as the portal sees them over HTTP (canned answers, what was sent, refusals on demand), and the
portal on a real progress app that reaches them through that fake."""

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx

from contracts.envelope import Role
from services.progress.portal.session import CSRF_COOKIE, LANGUAGE_COOKIE, SESSION_COOKIE
from sori.auth import issue_token
from sori.settings import Settings

ROADMAP = "11111111-1111-4111-8111-111111111111"
REC = "22222222-2222-4222-8222-222222222222"
MILESTONE = "33333333-3333-4333-8333-333333333333"
ACTION = "44444444-4444-4444-8444-444444444444"
NOTICE = "55555555-5555-4555-8555-555555555555"
EVIDENCE = "66666666-6666-4666-8666-666666666666"
NOW = "2026-11-20T10:00:00+00:00"

RECOMMENDATION = {
    "id": REC,
    "roadmap_id": ROADMAP,
    "association": "ZELS",
    "programme": "SoRi 3",
    "code": "ZELS-2026-01",
    "title": "Дневни центри во руралните средини",
    "language": "mk",
    "status": "endorsed",
    "version": 2,
    "problem_statement": "Нема дневна грижа.",
    "proposed_measures": "Две сателитски единици.",
    "evidence": "",
    "local_governments": [],
    "created_at": NOW,
    "updated_at": NOW,
}
ANSWERS: dict[tuple[str, str], Any] = {
    ("GET", "/roadmaps/v1/reference"): {
        "version": "1",
        "economies": [],
        "groups": [],
        "topics": [],
        "programmes": [{"code": "SoRi 3", "name": "SoRi 3", "starts_on": "2026-01-01", "ends_on": "2028-12-31"}],
        "associations": [
            {
                "code": "ZELS",
                "name": "ZELS",
                "economy": "MK",
                "local_governments": [
                    {"code": "MK-KUMANOVO", "name": "Kumanovo", "association": "ZELS"},
                    {"code": "MK-STRUMICA", "name": "Strumica", "association": "ZELS"},
                ],
            }
        ],
    },
    ("GET", "/roadmaps/v1/roadmaps"): [
        {
            "id": ROADMAP,
            "association": "ZELS",
            "programme": "SoRi 3",
            "title": "ZELS roadmap",
            "status": "active",
            "period_start": "2026-01-01",
            "period_end": None,
            "created_at": NOW,
            "updated_at": NOW,
        }
    ],
    ("GET", f"/roadmaps/v1/roadmaps/{ROADMAP}"): {
        "id": ROADMAP,
        "association": "ZELS",
        "programme": "SoRi 3",
        "title": "ZELS roadmap",
        "status": "active",
        "period_start": "2026-01-01",
        "period_end": None,
        "created_at": NOW,
        "updated_at": NOW,
    },
    ("GET", "/roadmaps/v1/recommendations"): {"items": [RECOMMENDATION], "next_cursor": None},
    ("GET", f"/roadmaps/v1/recommendations/{REC}"): RECOMMENDATION,
    ("GET", f"/roadmaps/v1/recommendations/{REC}/versions"): [
        {"number": 1, "title": "Дневни центри", "changed_fields": [], "author_org": "ZELS", "created_at": NOW},
        {
            "number": 2,
            "title": "Дневни центри",
            "changed_fields": ["proposed_measures"],
            "author_org": "ZELS",
            "created_at": NOW,
        },
    ],
    ("GET", f"/roadmaps/v1/recommendations/{REC}/versions/diff"): {
        "from_version": 1,
        "to_version": 2,
        "changes": [{"field": "proposed_measures", "before": "Една единица.", "after": "Две сателитски единици."}],
    },
    ("GET", f"/roadmaps/v1/recommendations/{REC}/versions/2/comments"): [
        {
            "id": NOTICE,
            "recommendation_id": REC,
            "version": 2,
            "body": "Please add the households.",
            "author": "wg",
            "author_org": "NALAS",
            "author_role": "nalas",
            "created_at": NOW,
        }
    ],
    ("GET", f"/roadmaps/v1/recommendations/{REC}/milestones"): [
        {
            "id": MILESTONE,
            "recommendation_id": REC,
            "title": "Unit opens",
            "due_date": "2027-06-30",
            "local_government": "MK-KUMANOVO",
            "indicators": ["places"],
        }
    ],
    ("GET", f"/social-approaches/v1/recommendations/{REC}/milestones/{MILESTONE}/reports"): [
        {
            "id": NOTICE,
            "recommendation_id": REC,
            "milestone_id": MILESTONE,
            "local_government": "MK-KUMANOVO",
            "status": "on_track",
            "narrative": "Works started.",
            "indicators": [],
            "evidence_ids": [EVIDENCE],
            "reported_at": NOW,
        }
    ],
    ("GET", "/social-approaches/v1/milestones"): [
        {
            "milestone_id": MILESTONE,
            "recommendation_id": REC,
            "recommendation_status": "in_implementation",
            "association": "ZELS",
            "local_government": "MK-KUMANOVO",
            "title": "Unit opens",
            "due_date": "2027-06-30",
            "indicators": ["places"],
            "latest_report_status": None,
            "latest_report_at": None,
        }
    ],
    ("GET", f"/progress/v1/recommendations/{REC}/timeline"): {
        "recommendation_id": REC,
        "as_of": None,
        "status": "endorsed",
        "changes": [
            {
                "recommendation_id": REC,
                "event_id": NOTICE,
                "at": NOW,
                "from_status": None,
                "to_status": "drafted",
                "cause_event_type": "sori.roadmaps.recommendation.drafted.v1",
                "actor_org": "ZELS",
                "actor_role": "lga",
                "comments": [],
            }
        ],
    },
    ("GET", "/working-group/v1/review-queue"): [
        {
            "recommendation_id": REC,
            "status": "submitted",
            "association": "ZELS",
            "version": 2,
            "submitted_at": NOW,
            "overdue": True,
        }
    ],
    ("GET", f"/working-group/v1/recommendations/{REC}"): {
        "recommendation_id": REC,
        "status": "under_review",
        "association": "ZELS",
        "version": 2,
        "submitted_at": NOW,
        "overdue": False,
    },
    ("GET", "/working-group/v1/actions"): [
        {
            "id": ACTION,
            "kind": "training_cycle",
            "title": "Обука за социјално мапирање",
            "language": "mk",
            "starts_on": "2026-10-01",
            "ends_on": "2026-10-03",
            "place": "Skopje",
            "online": False,
            "organiser": "NALAS",
            "recommendations": [],
            "status": "held",
            "sessions": [],
            "created_at": NOW,
        }
    ],
    ("GET", f"/working-group/v1/actions/{ACTION}"): {
        "id": ACTION,
        "kind": "training_cycle",
        "title": "Обука за социјално мапирање",
        "language": "mk",
        "starts_on": "2026-10-01",
        "ends_on": "2026-10-03",
        "place": "Skopje",
        "online": False,
        "organiser": "NALAS",
        "recommendations": [],
        "status": "held",
        "sessions": [],
        "created_at": NOW,
    },
    ("GET", f"/working-group/v1/actions/{ACTION}/participants"): [
        {
            "id": NOTICE,
            "action_id": ACTION,
            "organisation": "Kumanovo",
            "organisation_type": "local_government",
            "role": "",
            "sex": "female",
            "age_band": "30-44",
            "attended": True,
            "created_at": NOW,
        }
    ],
    ("GET", f"/working-group/v1/actions/{ACTION}/aggregates"): {
        "participants": 1,
        "attended": 1,
        "participants_by_sex": {"female": 1},
        "participants_by_organisation_type": {"local_government": 1},
    },
    ("GET", "/working-group/v1/participants/aggregates"): {
        "participants": 1,
        "attended": 1,
        "participants_by_sex": {"female": 1},
        "participants_by_organisation_type": {"local_government": 1},
    },
    ("GET", "/notifications/v1/inbox"): {
        "unread": 1,
        "notices": [
            {
                "id": NOTICE,
                "event_type": "x",
                "recommendation_id": REC,
                "kind": "endorsed",
                "language": "sq",
                "subject": "Rekomandimi u miratua",
                "body": "ZELS-2026-01 u miratua.",
                "created_at": NOW,
                "read_at": None,
            }
        ],
    },
    ("GET", "/notifications/v1/mail"): [
        {
            "key": "1732442400.M1P1Q1.sori",
            "mail_id": NOTICE,
            "to": "roadmaps@zels.invalid",
            "subject": "Рекомендацијата беше одобрена",
            "date": NOW,
            "body": "ZELS-2026-01 беше одобрена.",
        }
    ],
    ("GET", "/notifications/v1/people/me"): {"language": "sq", "channel": "portal", "frequency": "daily"},
    ("POST", "/social-approaches/v1/evidence"): {"evidence_id": EVIDENCE},
}


@dataclass
class Sent:
    method: str
    path: str
    authorization: str
    body: Any
    content_type: str
    idempotency_key: str | None = None


@dataclass
class FakeServices:
    sent: list[Sent] = field(default_factory=list)
    refusals: dict[tuple[str, str], tuple[int, dict[str, Any]]] = field(default_factory=dict)
    answers: dict[tuple[str, str], Any] = field(default_factory=lambda: dict(ANSWERS))

    def refuse(
        self, method: str, path: str, status: int, detail: Any, code: str | None = None, params: Any = None
    ) -> None:
        """The service answers `status` with its English `detail`, and with the reason's code and params if given."""
        coded = {"code": code, "params": params or {}} if code else {}
        self.refusals[(method, path)] = (status, {"detail": detail, **coded})

    def posted(self, path: str) -> list[Sent]:
        return [s for s in self.sent if s.method == "POST" and s.path == path]

    def handle(self, request: httpx.Request) -> httpx.Response:
        key = (request.method, request.url.path)
        content_type = request.headers.get("content-type", "")
        body = json.loads(request.content) if content_type.startswith("application/json") and request.content else None
        authorization, idempotency_key = request.headers["authorization"], request.headers.get("idempotency-key")
        self.sent.append(Sent(request.method, request.url.path, authorization, body, content_type, idempotency_key))
        if key in self.refusals:
            status, refusal = self.refusals[key]
            return httpx.Response(status, json=refusal)
        if request.method in {"POST", "PUT"}:
            return httpx.Response(200, json=self.answers.get(key, {}))
        if key not in self.answers:
            return httpx.Response(404, json={"detail": f"the fake has no {key}"})
        return httpx.Response(200, json=self.answers[key])


ORG_OF = {Role.NALAS: "NALAS", Role.LGA: "ZELS", Role.LG: "MK-KUMANOVO", Role.OBSERVER: "EU"}


@dataclass
class Portal:
    http: httpx.AsyncClient
    services: FakeServices
    settings: Settings

    def sign_in_as(self, role: Role, org: str | None = None) -> str:
        token = issue_token(
            self.settings.signing_secret, sub=f"{role}@x", org=org or ORG_OF[role], role=role, ttl=timedelta(hours=1)
        )
        self.http.cookies.set(SESSION_COOKIE, token)
        return token

    def speak(self, language: str) -> None:
        self.http.cookies.set(LANGUAGE_COOKIE, language)


async def post_form(portal: Portal, path: str, data: dict[str, Any], **kwargs: Any) -> Any:
    """A form sent as the browser sends it: after a page that set the CSRF cookie, with its token."""
    await portal.http.get("/sign-in")
    return await portal.http.post(path, data={**data, "csrf_token": portal.http.cookies[CSRF_COOKIE]}, **kwargs)
