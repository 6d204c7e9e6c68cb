"""What of SORI_HOME a backup carries besides the services' databases, and where each goes in the archive."""

import shutil
from dataclasses import dataclass
from pathlib import Path

from sori_cli.backup.databases import copy_sqlite, remove_sqlite

HOME = "home"
# The embedded Temporal dev server's database (sori_cli.stack.up); an external Temporal keeps its own.
TEMPORAL_DB = "temporal.db"


@dataclass(frozen=True)
class HomeItem:
    name: str
    # Left as this machine has it when the archive has none: the secret SORI_SECRET may give instead, Temporal's
    # database when Temporal is not the embedded one. The others are the backup's: absent there, absent after.
    kept_when_absent: bool = False
    # A database another process may be writing: copied through SQLite, never byte by byte.
    sqlite: bool = False

    def take(self, home: Path, folder: Path) -> None:
        source, target = home / self.name, folder / HOME / self.name
        if self.sqlite:
            if source.is_file():
                copy_sqlite(source, target)
        elif source.is_dir():
            shutil.copytree(source, target)
        elif source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)

    def put_back(self, folder: Path, home: Path) -> None:
        source, target = folder / HOME / self.name, home / self.name
        if not source.exists() and self.kept_when_absent:
            return
        if target.is_dir():
            shutil.rmtree(target)
        elif self.sqlite:
            remove_sqlite(target)
        else:
            target.unlink(missing_ok=True)
        if source.exists():
            source.rename(target)


TEMPORAL = HomeItem(TEMPORAL_DB, kept_when_absent=True, sqlite=True)
# Taken after the databases: an evidence file is written before the row that names it, so every row has its file.
HOME_FILES = (
    HomeItem("evidence"),  # the social approaches' uploaded evidence, one file per sha256
    HomeItem("mail"),  # the notifications' maildir, when no SMTP server is set
    HomeItem("secret", kept_when_absent=True),  # signs tokens and sessions: what was signed before still verifies
    HomeItem("demo-loaded"),  # without it `sori up` would load the demo programme a second time
)
