"""`sori up --replicas SERVICE=N` runs further processes of a service on its one database, named after it."""

import pytest

from sori_cli.main import _parser
from sori_cli.stack.up import role_of


def test_replicas_are_given_per_service() -> None:
    args = _parser().parse_args(["up", "--replicas", "progress=2", "--replicas", "working_group=3"])

    assert dict(args.replicas) == {"progress": 2, "working_group": 3}
    assert dict(_parser().parse_args(["up"]).replicas) == {}


@pytest.mark.parametrize("given", ["bridge=2", "nosuch=2", "progress=0", "progress=two", "progress"])
def test_replicas_of_anything_but_a_service_at_least_once_are_refused(
    given: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        _parser().parse_args(["up", "--replicas", given])

    assert f"{given!r}: expected SERVICE=N with N at least 1 and SERVICE one of" in capsys.readouterr().err


def test_a_further_replica_runs_its_services_role() -> None:
    assert [role_of(part) for part in ("progress", "progress-2", "working_group-3", "bridge")] == [
        "progress",
        "progress",
        "working_group",
        "bridge",
    ]
