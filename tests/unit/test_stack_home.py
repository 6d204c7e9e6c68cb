"""What `sori up` and the parts it starts write in SORI_HOME is for its owner alone: the secret, stack.json (with a
NALAS token), the databases (with webhook secrets), the logs and the mail."""

import os
import stat
import sys
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from services.notifications.app import SPEC as NOTIFICATIONS
from services.notifications.mailer import Mailer
from services.notifications.settings import NotificationSettings
from sori.db import Database
from sori.settings import Settings
from sori_cli.stack.processes import ManagedProcess, ProcessSpec
from sori_cli.stack.report import write_stack_file
from sori_cli.stack.up import private_home
from tests.polling import eventually


@pytest.fixture
def ordinary_umask() -> Iterator[None]:
    """The umask an ordinary shell gives (files 0644), put back afterwards: `sori up` changes its process's."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def open_to_others(home: Path) -> list[str]:
    return [
        f"{path.relative_to(home)} {stat.filemode(path.stat().st_mode)}"
        for path in [home, *home.rglob("*")]
        if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO)
    ]


async def test_what_sori_up_and_its_parts_write_is_readable_by_the_owner_alone(
    tmp_path: Path, ordinary_umask: None
) -> None:
    home = tmp_path / "home"
    private_home(home)
    settings = Settings(SORI_HOME=home, DATABASE_URL=None)
    assert settings.signing_secret
    write_stack_file(home, {"tokens": {"nalas": "…"}})
    database = Database(settings, NOTIFICATIONS.name, NOTIFICATIONS.metadata)
    await database.create_schema()
    await database.dispose()
    mail = EmailMessage()
    mail["Subject"] = "a notice"
    await Mailer(NotificationSettings(SORI_HOME=home, SMTP_URL=None)).send(mail)
    writes_a_file = [sys.executable, "-c", "import sys; open(sys.argv[1], 'w').write('rows')", str(home / "part.db")]
    part = ManagedProcess(ProcessSpec("part", writes_a_file, {}, home / "logs" / "part.log"))
    part.start()
    await eventually(lambda: _exit_code(part), until=lambda code: code is not None)

    assert (home / "part.db").exists()
    assert open_to_others(home) == []


async def _exit_code(process: ManagedProcess) -> int | None:
    return process.exit_code()
