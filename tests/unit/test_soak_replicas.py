"""A soak with replicas: the stack it starts is asked for them, its chaos picks among every replica, and each person
of the cast sends their requests to the replicas of their service in turn."""

from pathlib import Path

from contracts.envelope import Role
from sori_cli.soak.journal import Journal
from sori_cli.soak.parts import parts
from sori_cli.soak.runner import replicas_argv
from sori_cli.soak.speaker import Pace, speaker
from sori_cli.stack.view import StackView

SERVICES = {
    "progress": "http://127.0.0.1:20000",
    "roadmaps": "http://127.0.0.1:20001",
    "progress-2": "http://127.0.0.1:20100",
    "roadmaps-2": "http://127.0.0.1:20101",
}
PROCESSES = {"kafka": 11, "temporal": 12, "progress": 13, "roadmaps": 14, "progress-2": 15, "roadmaps-2": 16}


def stack_with_replicas(home: Path) -> StackView:
    (home / "secret").write_text("a secret of the soak's unit test, long enough to sign")
    document = {"services": SERVICES, "processes": PROCESSES}
    return StackView(home, document, "")


def test_the_stack_is_asked_for_each_services_replicas() -> None:
    assert replicas_argv({"roadmaps": 2, "progress": 2}) == ["--replicas", "progress=2", "--replicas", "roadmaps=2"]
    assert replicas_argv({}) == []


def test_chaos_picks_among_every_replica(tmp_path: Path) -> None:
    assert sorted(parts(stack_with_replicas(tmp_path))) == sorted(PROCESSES)


async def test_a_speaker_sends_to_each_replica_of_its_service_in_turn(tmp_path: Path) -> None:
    who = speaker(stack_with_replicas(tmp_path), "progress", Role.OBSERVER, "OBSERVER", Journal(), Pace(1.0))

    reached = [str(who.http.base_url) for _ in range(4)]

    await who.close()
    assert sorted(reached) == sorted([SERVICES["progress"], SERVICES["progress-2"]] * 2)
    assert reached[0] != reached[1]
