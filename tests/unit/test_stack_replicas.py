"""`sori up --replicas SERVICE=N` runs further processes of a service on its one database, named after it; `sori
soak` takes the same option for the stack it starts."""

import pytest

from sori_cli.main import _parser
from sori_cli.stack.up import role_of

COMMANDS = ("up", "soak")


@pytest.mark.parametrize("command", COMMANDS)
def test_replicas_are_given_per_service(command: str) -> None:
    args = _parser().parse_args([command, "--replicas", "progress=2", "--replicas", "working_group=3"])

    assert dict(args.replicas) == {"progress": 2, "working_group": 3}
    assert dict(_parser().parse_args([command]).replicas) == {}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("given", ["bridge=2", "nosuch=2", "progress=0", "progress=two", "progress"])
def test_replicas_of_anything_but_a_service_at_least_once_are_refused(
    command: str, given: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        _parser().parse_args([command, "--replicas", given])

    assert f"{given!r}: expected SERVICE=N with N at least 1 and SERVICE one of" in capsys.readouterr().err


def test_a_further_replica_runs_its_services_role() -> None:
    assert [role_of(part) for part in ("progress", "progress-2", "working_group-3", "bridge")] == [
        "progress",
        "progress",
        "working_group",
        "bridge",
    ]
