"""Schemathesis against each service's own OpenAPI: no input makes a 5xx, every answer fits what is documented.

Each service runs in-process (its real app, FastStream's TestKafkaBroker, a fresh SQLite database) on one event loop
that the fuzzing drives case by case; requests go through httpx's ASGI transport, so nothing listens on a port.
"""

import asyncio
import re
import secrets
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from sori.settings import Settings
from tests.security.report import note
from tests.support.actors import header
from tests.support.databases import DATABASES, POSTGRES_URL
from tests.support.openapi import BASE_URL, request_kwargs
from tests.support.services import service_under_test, spec_and_factory

MAX_EXAMPLES = 20  # per operation, with a token
UNAUTHENTICATED_EXAMPLES = 3  # per operation, without one
RM = "/roadmaps/v1"
INT64_MAX = 2**63 - 1

# The caller that may do the most in each service: its fuzzing reaches past authorization.
CALLER = {
    "roadmaps": "lga ZELS",
    "working_group": "nalas",
    "social_approaches": "lg assigned",
    "progress": "observer",
    "notifications": "nalas",
}


@dataclass
class Findings:
    """What fuzzing one service found; each finding is one line naming the operation, the input and the answer."""

    operations: int = 0
    cases: int = 0
    unauthenticated_cases: int = 0
    server_errors: list[str] = field(default_factory=list)  # any 5xx
    schema_violations: list[str] = field(default_factory=list)  # a body that breaks its documented schema
    undocumented: dict[str, set[int]] = field(default_factory=dict)  # operation → status codes its OpenAPI omits
    unauthenticated_let_in: list[str] = field(default_factory=list)

    def summary(self, service: str) -> str:
        undocumented = sum(len(codes) for codes in self.undocumented.values())
        return (
            f"fuzz {service}: {self.operations} operations, {self.cases} cases with a token + "
            f"{self.unauthenticated_cases} without; failures: {len(self.server_errors)} 5xx, "
            f"{len(self.schema_violations)} schema violations, {undocumented} undocumented (operation, status) pairs"
        )


def _describe(case: Any, kwargs: dict[str, Any], status: int | str, detail: str) -> str:
    sent = {key: kwargs[key] for key in ("params", "json", "content", "data") if kwargs.get(key) not in (None, {})}
    return f"{case.operation.label} {str(sent)[:300]} → {status}: {detail[:600]}"


@contextmanager
def _running(service: str, home: Path) -> Iterator[tuple[asyncio.Runner, AsyncClient, FastAPI]]:
    settings = Settings(
        SORI_HOME=home,
        DATABASE_URL=None,
        SORI_SECRET=secrets.token_urlsafe(32),
        SORI_OUTBOX_POLL_SECONDS=0.05,
    )
    spec, factory = spec_and_factory(service)
    with asyncio.Runner() as runner:
        stack = AsyncExitStack()
        try:
            sut = runner.run(stack.enter_async_context(service_under_test(settings, spec, factory)))
            # A client of our own that turns an unhandled exception into the 500 a real server would send.
            transport = ASGITransport(app=sut.app, raise_app_exceptions=False)
            http = runner.run(stack.enter_async_context(AsyncClient(transport=transport, base_url=BASE_URL)))
            yield runner, http, sut.app
        finally:
            runner.run(stack.aclose())


def _fuzz_operation(
    runner: asyncio.Runner,
    http: AsyncClient,
    operation: Any,
    auth: dict[str, str],
    examples: int,
    findings: Findings,
    *,
    with_token: bool,
) -> None:
    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def one(case: Any) -> None:
        transport = case.as_transport_kwargs(base_url=BASE_URL)
        headers = {k: v for k, v in transport.get("headers", {}).items() if k.lower() != "authorization"}
        transport["headers"] = {**headers, **auth}
        kwargs = request_kwargs(transport)
        if kwargs.get("cookies"):  # httpx wants cookies on the client; this API reads none, so send them as a header
            cookies = kwargs.pop("cookies")
            kwargs["headers"]["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        else:
            kwargs.pop("cookies", None)
        request = http.build_request(**kwargs)
        request.read()  # a multipart body is a stream; schemathesis reads the request back when it reports
        response = runner.run(http.send(request))
        if with_token:
            findings.cases += 1
        else:
            findings.unauthenticated_cases += 1
            if response.status_code != 401:
                findings.unauthenticated_let_in.append(_describe(case, kwargs, response.status_code, response.text))
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except (FailureGroup, Failure) as failure:  # schemathesis raises its check failures; keep its report
            findings.server_errors.append(_describe(case, kwargs, response.status_code, str(failure)))
        try:
            case.validate_response(response, checks=[response_schema_conformance])
        except (FailureGroup, Failure) as failure:
            findings.schema_violations.append(_describe(case, kwargs, response.status_code, str(failure)))
        try:
            case.validate_response(response, checks=[status_code_conformance])
        except (FailureGroup, Failure):
            findings.undocumented.setdefault(operation.label, set()).add(response.status_code)

    one()


@cache
def fuzz(service: str, home: Path) -> Findings:
    """Fuzz one service once per test session; the tests below read the same findings."""
    findings = Findings()
    with _running(service, home) as (runner, http, app):
        document = app.openapi()
        schema = schemathesis.openapi.from_dict(document)
        secret = app.state.settings.signing_secret
        for result in schema.get_all_operations():
            if isinstance(result, Err):
                raise result.err()  # an operation schemathesis cannot read is itself a finding
            operation = result.ok()
            findings.operations += 1
            _fuzz_operation(
                runner, http, operation, header(CALLER[service], secret), MAX_EXAMPLES, findings, with_token=True
            )
            method, path = operation.method.lower(), operation.path
            if document["paths"][path][method].get("security"):
                _fuzz_operation(runner, http, operation, {}, UNAUTHENTICATED_EXAMPLES, findings, with_token=False)
    note(findings.summary(service))
    return findings


@pytest.fixture(scope="module")
def fuzz_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


SERVICES = ["roadmaps", "working_group", "social_approaches", "progress", "notifications"]


@pytest.mark.parametrize("service", SERVICES)
def test_no_input_makes_a_server_error(service: str, fuzz_home: Path) -> None:
    findings = fuzz(service, fuzz_home / service)

    assert findings.operations > 0
    assert findings.cases >= findings.operations
    assert not findings.server_errors, findings.summary(service) + "\n" + "\n".join(findings.server_errors[:10])


@pytest.mark.parametrize("service", SERVICES)
def test_every_answer_fits_its_documented_schema(service: str, fuzz_home: Path) -> None:
    findings = fuzz(service, fuzz_home / service)

    violations = findings.schema_violations
    assert not violations, findings.summary(service) + "\n" + "\n".join(violations[:10])


@pytest.mark.parametrize("service", SERVICES)
def test_without_a_token_every_protected_operation_says_401(service: str, fuzz_home: Path) -> None:
    findings = fuzz(service, fuzz_home / service)

    assert findings.unauthenticated_cases > 0
    assert not findings.unauthenticated_let_in, "\n".join(findings.unauthenticated_let_in[:10])


@pytest.mark.parametrize("service", SERVICES)
def test_every_status_code_a_service_answers_is_documented(service: str, fuzz_home: Path) -> None:
    findings = fuzz(service, fuzz_home / service)

    assert not findings.undocumented, (
        findings.summary(service)
        + "\n"
        + "\n".join(f"{operation}: {sorted(codes)}" for operation, codes in sorted(findings.undocumented.items()))
    )


@pytest.mark.parametrize(
    ("method", "tail"),
    [
        ("GET", "/versions/diff?from={n}&to=1"),
        ("GET", "/versions/{n}"),
        ("GET", "/versions/{n}/comments"),
        ("POST", "/versions/{n}/comments"),
    ],
)
async def test_a_version_number_beyond_the_databases_integers_is_refused_not_a_500(
    settings: Settings, method: str, tail: str
) -> None:
    from services.roadmaps.app import SPEC, create_app

    async with service_under_test(settings, SPEC, create_app) as sut:
        lga = header("lga ZELS", settings.signing_secret)
        roadmap = await sut.http.post("/roadmaps/v1/roadmaps", json={"programme": "SoRi 4", "title": "t"}, headers=lga)
        path = f"/roadmaps/v1/roadmaps/{roadmap.json()['id']}/recommendations"
        drafted = await sut.http.post(path, json={"title": "Day care", "language": "en"}, headers=lga)
        http = AsyncClient(transport=ASGITransport(app=sut.app, raise_app_exceptions=False), base_url=BASE_URL)
        url = f"/roadmaps/v1/recommendations/{drafted.json()['id']}" + tail.format(n=2**63)
        body = {"body": "a comment"} if method == "POST" else None
        response = await http.request(method, url, json=body, headers=lga)

    assert 400 <= response.status_code < 500, (method, url, response.status_code, response.text)


OFFSET = re.compile(r"(Z|[+-]\d\d:\d\d)$")
TIMESTAMP = re.compile(r'"(?P<field>\w+)":"(?P<value>\d{4}-\d\d-\d\dT[^"]*)"')


@pytest.mark.parametrize(
    "database",
    ["sqlite", *(["postgresql"] if "postgresql" in DATABASES else [])],
)
async def test_roadmaps_answers_every_time_with_its_utc_offset(tmp_path: Path, database: str) -> None:
    from services.roadmaps.app import SPEC, create_app

    settings = Settings(
        SORI_HOME=tmp_path / "home",
        DATABASE_URL=POSTGRES_URL if database == "postgresql" else None,
        SORI_SCHEMA_PREFIX=f"t{secrets.token_hex(4)}_",
        SORI_SECRET=secrets.token_urlsafe(32),
    )
    async with service_under_test(settings, SPEC, create_app) as sut:
        lga = header("lga ZELS", settings.signing_secret)
        roadmap = (
            await sut.http.post(f"{RM}/roadmaps", json={"programme": "SoRi 4", "title": "t"}, headers=lga)
        ).json()
        path = f"{RM}/roadmaps/{roadmap['id']}/recommendations"
        drafted = (await sut.http.post(path, json={"title": "Day care", "language": "en"}, headers=lga)).json()
        naive: list[str] = []
        for read in (
            f"{RM}/roadmaps",
            f"{RM}/roadmaps/{roadmap['id']}",
            f"{RM}/recommendations",
            f"{RM}/recommendations/{drafted['id']}",
            f"{RM}/recommendations/{drafted['id']}/versions/1",
        ):
            response = await sut.http.get(read, headers=lga)
            assert response.status_code == 200, response.text
            naive += [
                f"GET {read}: {m['field']}={m['value']}"
                for m in TIMESTAMP.finditer(response.text)
                if not OFFSET.search(m["value"])
            ]

    assert not naive, "\n".join(naive)


REFUSALS = {
    "roadmaps": ("POST", "/roadmaps/v1/roadmaps", "lga ZELS", {"programme": "no such programme", "title": "t"}),
    "working_group": (
        "POST",
        "/working-group/v1/recommendations/00000000-0000-4000-8000-000000000000/decision",
        "nalas",
        {"decision": "request_changes", "comments": [], "reason": ""},
    ),
    "social_approaches": (
        "POST",
        "/social-approaches/v1/approaches",
        "lg assigned",
        {
            "approach_type": "other",
            "title": "Twice the same group",
            "beneficiaries_planned": [{"group": "roma", "total": 1}, {"group": "roma", "total": 2}],
        },
    ),
}


@pytest.mark.parametrize("service", list(REFUSALS))
async def test_a_refusals_422_is_documented_with_its_shape(service: str, tmp_path: Path) -> None:
    method, path, caller, body = REFUSALS[service]
    settings = Settings(SORI_HOME=tmp_path / "home", DATABASE_URL=None, SORI_SECRET=secrets.token_urlsafe(32))
    spec, factory = spec_and_factory(service)
    async with service_under_test(settings, spec, factory) as sut:
        response = await sut.http.request(method, path, json=body, headers=header(caller, settings.signing_secret))
        documented = sut.app.openapi()["paths"][
            path.replace("00000000-0000-4000-8000-000000000000", "{recommendation_id}")
        ]

    assert response.status_code == 422, response.text
    schema = documented[method.lower()]["responses"]["422"]["content"]["application/json"]["schema"]
    assert {"$ref": "#/components/schemas/Refusal"} in schema.get("anyOf", [schema])
    assert isinstance(response.json()["detail"], str), f"{method} {path} → 422 {response.text}"
