"""`make run` with SORI_HOME unset keeps every file of the run under ./.sori/: nothing in the person's home folder,
nothing else in the checkout, whatever generic variables (HOME, HOST, SECRET) the shell holds."""

import asyncio
import os
import sys
from pathlib import Path

import pytest

from sori_cli.stack.child import ENV_OF_REAL_INFRASTRUCTURE, READY_WITHIN_SECONDS, free_port_base
from sori_cli.stack.report import STACK_FILE
from tests.polling import eventually

pytestmark = pytest.mark.integration
SORI = (sys.executable, "-m", "sori_cli.main")


def files_under(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}


async def test_a_run_without_sori_home_writes_only_under_dot_sori(tmp_path: Path) -> None:
    home, checkout, output = tmp_path / "home", tmp_path / "checkout", tmp_path / "sori-up.out"
    home.mkdir()
    checkout.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in (*ENV_OF_REAL_INFRASTRUCTURE, "SORI_HOME")}
    env.update(HOME=str(home), HOST="203.0.113.9", SECRET="example-generic", SORI_PORT_BASE=str(free_port_base()))
    with output.open("wb") as out:
        up = await asyncio.create_subprocess_exec(
            *SORI, "up", "--no-ui", "--no-demo", cwd=checkout, env=env, stdout=out, stderr=out
        )
    try:

        async def ready_or_stopped() -> bool:
            return (checkout / ".sori" / STACK_FILE).exists() or up.returncode is not None

        await eventually(ready_or_stopped, within=READY_WITHIN_SECONDS)
        assert up.returncode is None, output.read_text()[-3000:]
        token = await asyncio.create_subprocess_exec(
            *SORI,
            "token",
            "issue",
            "--org",
            "ZELS",
            "--role",
            "lga",
            cwd=checkout,
            env=env,
            stdout=asyncio.subprocess.PIPE,
        )
        issued, _ = await token.communicate()
        assert issued.strip()
    finally:
        up.terminate()
        await asyncio.wait_for(up.wait(), 60)

    assert files_under(home) == set()
    assert {path for path in files_under(checkout) if not path.startswith(".sori/")} == set()
    assert {".sori/secret", ".sori/logs/progress.log"} <= files_under(checkout)  # stack.json goes with the stack
