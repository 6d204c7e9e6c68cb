"""`sori up` starts everything, says clearly when a part cannot start, and leaves nothing behind when stopped."""

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from sori.stack.child import free_port_base, process_alive, start_stack, stop_stack

pytestmark = pytest.mark.integration


def test_sigterm_stops_every_process_sori_up_started(tmp_path: Path) -> None:
    stack = start_stack(tmp_path / "home", None, "--no-demo")
    pids = stack.pids
    try:
        assert set(pids) == {
            "kafka",
            "temporal",
            "progress",
            "roadmaps",
            "working_group",
            "social_approaches",
            "notifications",
            "bridge",
            "worker",
        }
        assert all(process_alive(pid) for pid in pids.values())
    finally:
        # Stopped whatever the checks above said, so that a failing run leaves no stack behind.
        exit_code = stop_stack(stack)

    assert exit_code == 0
    survivors = {name: pid for name, pid in pids.items() if process_alive(pid)}
    assert survivors == {}
    assert not (stack.home / "stack.json").exists()


def test_a_busy_service_port_is_reported_with_a_non_zero_exit(tmp_path: Path) -> None:
    base = free_port_base()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", base + 1))
        squatter.listen()
        result = subprocess.run(
            [sys.executable, "-m", "sori.cli", "up", "--no-ui", "--no-demo"],
            env={"SORI_HOME": str(tmp_path), "SORI_PORT_BASE": str(base), "PATH": ""},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"ports in use: roadmaps ({base + 1})" in result.stdout
