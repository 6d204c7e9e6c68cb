"""What `sori up` puts in the environment of the parts it starts."""

from pathlib import Path

import pytest

from sori.settings import Settings
from sori_cli.stack.up import Stack


def parts_environment(home: Path) -> dict[str, str]:
    return Stack(Settings(SORI_HOME=home), ui=False).child_env()


def test_the_parts_cap_glibcs_malloc_arenas_at_two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)

    assert parts_environment(tmp_path)["MALLOC_ARENA_MAX"] == "2"


def test_an_arena_cap_set_by_whoever_runs_sori_up_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "8")

    assert parts_environment(tmp_path)["MALLOC_ARENA_MAX"] == "8"


@pytest.mark.parametrize(("idempotence", "passed"), [(True, "true"), (False, "false")])
def test_the_parts_produce_as_sori_up_decided(
    tmp_path: Path, idempotence: bool, passed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(SORI_HOME=tmp_path, SORI_KAFKA_IDEMPOTENCE=idempotence)
    environment = Stack(settings, ui=False).child_env()

    assert environment["SORI_KAFKA_IDEMPOTENCE"] == passed
    monkeypatch.setenv("SORI_KAFKA_IDEMPOTENCE", passed)
    assert Settings().kafka_idempotence is idempotence
