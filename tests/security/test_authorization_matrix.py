"""Every write endpoint of every service, times every kind of caller: who is let in is exactly who the rules name.

The table of who may write comes from the rules (DESIGN.md §7 and each service's domain.py), not from the code's
answers: an LGA writes only its own roadmap, NALAS keeps the reference data, reviews, decides and verifies and runs
the working group, a local government writes its own records and reports only milestones assigned to it, observers
write nothing; in notifications NALAS manages people and webhooks, and each person only their own preferences and
notices. Allowed callers must not meet a 401/403 (a 404/409/422 from the state of things is fine); a caller
with a good token whom the rules leave out gets a 403; a missing, expired, forged, unsigned or role-less token gets
a 401. An *escape* is a caller the rules leave out who got a 2xx.

Each service runs once per database (one app instance, reused for every endpoint and caller); callers the rules
leave out go first, so that every one of them meets the resource before an allowed caller changes it.
"""

from typing import Any

import pytest
from fastapi import FastAPI

from contracts.envelope import Role
from sori.settings import Settings
from sori.sheets import XLSX_MEDIA_TYPE
from tests.security.matrix import TABLES, Matrix, Write, expected, judge, summarise
from tests.support.actors import CALLERS, SIGNED_IN, header
from tests.support.services import service_under_test, spec_and_factory
from tests.support.tokens import Tokens

WRITE_METHODS = {"post", "put", "patch", "delete"}


# --- roadmaps ------------------------------------------------------------------------------------------------------


# --- working group -------------------------------------------------------------------------------------------------


# --- social approaches ---------------------------------------------------------------------------------------------


# --- notifications -------------------------------------------------------------------------------------------------


# --- the matrix ----------------------------------------------------------------------------------------------------


def _order(write: Write) -> list[str]:
    """Callers the rules leave out first, so each meets the resource as it was; then those who may write."""
    return [c for c in CALLERS if c not in write.allowed] + [c for c in CALLERS if c in write.allowed]


def _write_endpoints(app: FastAPI) -> set[tuple[str, str]]:
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    return {(method.upper(), path) for path, ops in paths.items() for method in ops if method in WRITE_METHODS}


@pytest.mark.parametrize("service", list(TABLES))
async def test_only_the_callers_the_rules_name_may_write(service: str, settings: Settings, tokens: Tokens) -> None:
    writes, make_world = TABLES[service]
    spec, factory = spec_and_factory(service)
    matrix = Matrix()
    async with service_under_test(settings, spec, factory) as sut:
        # Every write endpoint the service documents is in the table, and the table names no other.
        assert {(w.method, w.path) for w in writes} == _write_endpoints(sut.app)
        world = await make_world(sut, tokens)
        for write in writes:
            done = False
            for caller in _order(write):
                sheet = {"file": ("sheet.xlsx", write.upload, XLSX_MEDIA_TYPE)} if write.upload else None
                response = await sut.http.request(
                    write.method,
                    write.url(world),
                    json=write.body,
                    files=sheet,
                    headers=header(caller, settings.signing_secret),
                )
                status, outcome = response.status_code, expected(write, caller)
                seen = f"{write.method} {write.path} as {caller}: {status} {response.text[:200]}"
                judge(matrix, seen, status, outcome)
                done = done or (outcome == "allowed" and 200 <= status < 300)
            if not done:
                matrix.never_done.append(f"{write.method} {write.path}")

    summarise(matrix, f"authorization matrix {service}", settings, len(writes), "write")
    assert not matrix.never_done, f"no allowed caller got a 2xx, so the denials prove little: {matrix.never_done}"


def test_the_callers_cover_every_role_and_every_bad_token() -> None:
    assert {role for role, _ in SIGNED_IN.values()} == set(Role)
    assert len(CALLERS) == 11
