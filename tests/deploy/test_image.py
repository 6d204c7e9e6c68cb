"""deploy/Dockerfile: one slim, non-root image whose entry point starts a role, run here as the image runs it."""

import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import TextIO

import httpx

from sori_cli.stack.up import MALLOC_ARENAS
from tests.deploy.files import DEPLOY, REPO, exec_form, instructions

# As long as `sori up` waits for a part: on two loaded cores a service's imports alone have taken over 60 s.
STARTUP_SECONDS = 180.0
STOP_SECONDS = 20.0


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    return steps[last_from:]


def image_command() -> list[str]:
    """ENTRYPOINT + CMD of the runtime stage, with a script the image copies from the repository run from there."""
    stage = final_stage()
    entrypoint = [exec_form(line) for keyword, line in stage if keyword == "ENTRYPOINT"][-1:]
    cmd = [exec_form(line) for keyword, line in stage if keyword == "CMD"][-1:]
    command = (entrypoint[0] if entrypoint else []) + (cmd[0] if cmd else [])
    assert command, "the Dockerfile has neither ENTRYPOINT nor CMD"
    copied = {}
    for keyword, line in stage:
        if keyword == "COPY" and "--from=" not in line:
            parts = [part for part in line.split()[1:] if not part.startswith("--")]
            copied[parts[-1]] = REPO / parts[0]
    program = copied.get(command[0])
    return [str(program), *command[1:]] if program else command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def image_env(home: Path, port: int) -> dict[str, str]:
    """This machine's environment as the image sets it up: `sori` on PATH, SORI_HOME fresh, infrastructure absent."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SORI_", "KAFKA_", "TEMPORAL_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        SORI_HOME=str(home),
        SORI_HOST="127.0.0.1",
        PORT=str(port),
        KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:1",
        TEMPORAL_ADDRESS="127.0.0.1:1",
    )
    return env


def test_the_image_is_multi_stage_slim_and_runs_as_a_non_root_user() -> None:
    steps = instructions()
    stages = [line for keyword, line in steps if keyword == "FROM"]
    assert len(stages) >= 2, "a builder stage and a runtime stage"
    assert stages[-1].split()[1].startswith("python:3.11-slim")
    users = [line.split()[1] for keyword, line in final_stage() if keyword == "USER"]
    assert users, "the runtime stage sets USER"
    assert users[-1].split(":")[0] not in {"0", "root"}
    healthchecks = [line for keyword, line in final_stage() if keyword == "HEALTHCHECK"]
    assert healthchecks
    assert "/healthz" in healthchecks[-1]
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    assert ignore[ignore.index("*") + 1 :], "the build context is allow-listed"


def test_the_image_holds_every_package_the_project_ships() -> None:
    """A package the wheel ships but the build context or the builder leaves out breaks `sori` in the image only."""
    shipped = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["targets"]["wheel"]
    copied = {line.split()[-1].removeprefix("./") for keyword, line in instructions() if keyword == "COPY"}
    for ignore_file in ("Dockerfile.dockerignore", ".dockerignore"):
        allowed = {line.removeprefix("!").rstrip("/") for line in (DEPLOY / ignore_file).read_text().splitlines()}
        assert set(shipped["packages"]) <= allowed, ignore_file
    assert set(shipped["packages"]) <= copied


def test_the_image_caps_glibcs_malloc_arenas_as_sori_up_does() -> None:
    environment = " ".join(line for keyword, line in final_stage() if keyword == "ENV").split()

    assert f"MALLOC_ARENA_MAX={MALLOC_ARENAS}" in environment


def test_the_entry_point_hands_other_commands_to_sori() -> None:
    program = image_command()[0]
    result = subprocess.run(
        [program, "migrate", "--help"],
        capture_output=True,
        text=True,
        env=image_env(Path("/nonexistent"), 0),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "migrate" in result.stdout


def test_the_image_command_starts_a_role_that_is_alive_and_not_ready_without_a_broker(tmp_path: Path) -> None:
    command = image_command()
    port = free_port()
    log = (tmp_path / "process.log").open("w+")
    process = subprocess.Popen(
        command, env=image_env(tmp_path / "home", port), stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_SECONDS
        poll_interval = 0.2
        alive = None
        while alive is None:
            assert process.poll() is None, f"{command} exited with {process.returncode}:\n{_tail(log)}"
            assert time.monotonic() < deadline, f"{command} did not answer /healthz:\n{_tail(log)}"
            try:
                alive = httpx.get(f"{base}/healthz", timeout=2)
            except httpx.TransportError:
                time.sleep(poll_interval)
        assert alive.status_code == 200
        ready = httpx.get(f"{base}/readyz", timeout=10)
        assert ready.status_code == 503, ready.text
        checks = ready.json()["checks"]
        assert checks["broker"] != "ok", checks
        assert ready.json()["ready"] is False
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError(f"{command} did not stop on SIGTERM within {STOP_SECONDS}s:\n{_tail(log)}") from None
    # uvicorn shuts down gracefully, then re-raises the signal it caught: exit status 0 or "killed by SIGTERM".
    assert process.returncode in {0, -signal.SIGTERM}, f"{command} exited with {process.returncode}:\n{_tail(log)}"
    assert "Application shutdown complete" in _tail(log), _tail(log)
    log.close()


def _tail(log: TextIO) -> str:
    log.flush()
    log.seek(0)
    return log.read()[-3000:]
