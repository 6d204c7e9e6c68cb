"""The README's tour and its services' examples, run word for word against a fresh `sori up` with the demo, so that
what a newcomer copies cannot drift from what SoRi does.

What runs: every ```sh block from the section "## A short tour" up to the next section after "## The services"
(so the services' subsections too), in the README's order, as one bash script under `set -euo pipefail`: the first
command that fails, a variable never set, a failing stage of a pipeline, ends the run. The README keeps these
conventions so that its blocks run as written:
* output is shown as comment lines (`# {"status": …}`), which bash skips;
* a value a later command needs is put in a variable by the command that makes it (`REC=$(curl … | jq -r .id)`),
  never written as a placeholder such as `<id>`;
* every curl passes `--fail-with-body`, so an answer of 4xx or 5xx fails the command (and shows the reason);
* what waits for something asynchronous (an event crossing Kafka, a workflow moving) retries by itself: curl's
  `--retry … --retry-all-errors` or an `until …; do sleep 1; done` loop, bounded here by the script's deadline;
* the commands speak to `make run`'s default ports (localhost:8000 and up) from the repository's folder, with the
  stack's own SORI_HOME. Here the ports are rewritten to the test stack's, the script runs in a scratch folder that
  links `.venv` (the files the tour writes land there) and SORI_HOME is the stack's.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest

from sori.settings import SERVICE_PORT_OFFSETS
from sori_cli.stack.child import RunningStack

pytestmark = pytest.mark.integration

# The tour is written for `make run`, which loads the demo programme (its roadmap, local governments' mappings…).
STACK_WITH_DEMO = True

REPOSITORY = Path(__file__).resolve().parents[2]
README = REPOSITORY / "README.md"
FIRST_SECTION, LAST_SECTION = "## A short tour", "## The services"
DEFAULT_PORT_BASE = 8000
DEFAULT_PORT = re.compile(r"localhost:(\d+)")
SCRIPT_WITHIN_SECONDS = 300
STRICT = "set -euo pipefail\n"
# Notifications has no shell block: its section shows a receiver's signature check in Python.
TOURED_SERVICES = ("progress", "roadmaps", "working_group", "social_approaches")


def tour_blocks(readme: str) -> list[str]:
    """The ```sh blocks of the tour's sections, in order."""
    start = readme.index(f"\n{FIRST_SECTION}\n")
    after_services = readme.index(f"\n{LAST_SECTION}\n", start)
    end = readme.index("\n## ", after_services + 1)
    return re.findall(r"^```sh\n(.*?)^```$", readme[start:end], flags=re.MULTILINE | re.DOTALL)


def curl_commands(blocks: list[str]) -> list[str]:
    """Each curl command line, with its continuation lines joined."""
    joined = "\n".join(blocks).replace("\\\n", " ")
    return [line for line in joined.splitlines() if "curl " in line and not line.lstrip().startswith("#")]


def on_stack(script: str, stack: RunningStack) -> str:
    """The script with `make run`'s default ports replaced by the stack's."""
    ports = {DEFAULT_PORT_BASE + offset: stack.url(service) for service, offset in SERVICE_PORT_OFFSETS.items()}

    def stack_port(match: re.Match[str]) -> str:
        port = int(match.group(1))
        assert port in ports, f"the README speaks to localhost:{port}, which is no service's default port"
        return ports[port].removeprefix("http://")

    return DEFAULT_PORT.sub(stack_port, script)


def run_script(script: str, folder: Path, home: Path) -> subprocess.CompletedProcess[str]:
    (folder / ".venv").symlink_to(REPOSITORY / ".venv")
    env = {k: v for k, v in os.environ.items() if k != "SORI_SECRET"} | {"SORI_HOME": str(home)}
    return subprocess.run(
        ["bash", "-x", "-c", STRICT + script],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=SCRIPT_WITHIN_SECONDS,
        check=False,
    )


def test_the_tour_has_blocks_for_every_service_and_each_curl_fails_on_an_error_answer() -> None:
    blocks = tour_blocks(README.read_text())
    script = "\n".join(blocks)

    for service in TOURED_SERVICES:
        assert f"localhost:{DEFAULT_PORT_BASE + SERVICE_PORT_OFFSETS[service]}" in script, service
    without_fail = [c for c in curl_commands(blocks) if "--fail-with-body" not in c]
    assert without_fail == []
    assert not re.search(r"<[a-z_]+>", script), "a placeholder where a variable should be"


def test_a_failing_command_stops_the_script(tmp_path: Path) -> None:
    """The harness itself: a README command that fails (here a refused connection) fails the run."""
    finished = run_script('curl -sS --fail-with-body localhost:9/x\necho "went on"\n', tmp_path, tmp_path)

    assert finished.returncode != 0
    assert "went on" not in finished.stdout


@pytest.mark.parametrize("stack", ["sqlite"], indirect=True)  # what `make run` uses; the APIs are tested on both
def test_the_readme_tour_runs_as_written(stack: RunningStack, tmp_path: Path) -> None:
    script = on_stack("\n".join(tour_blocks(README.read_text())), stack)

    finished = run_script(script, tmp_path, stack.home)

    told = f"stdout:\n{finished.stdout[-3000:]}\nstderr (trace):\n{finished.stderr[-5000:]}"
    assert finished.returncode == 0, told
    assert "1970-01-01" not in finished.stdout, told  # no answer carries the Unix epoch for a time not known
