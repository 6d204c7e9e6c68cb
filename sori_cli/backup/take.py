"""`sori backup [FILE]`: one archive of everything SoRi keeps, taken while it runs or not.

Each database is copied consistently (SQLite's online backup, pg_dump's snapshot), but one after another, so the
copies are of slightly different moments. They are taken readers before writers: the read side (progress,
notifications), then Temporal and the workflows' database, then the services that take commands. A restored reader
is then at most behind its writers, never ahead of them, and a restore has every outbox send its whole history
again (see restore.py), which brings each reader up to its writers; a reader's inbox skips what it had applied.
"""

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sori.settings import Settings
from sori_cli.backup.archive import pack
from sori_cli.backup.databases import (
    BackupFailed,
    copy_sqlite,
    dump_schema,
    postgres_schema,
    sqlite_file,
    sqlite_revision,
)
from sori_cli.backup.home import HOME_FILES, TEMPORAL, TEMPORAL_DB
from sori_cli.backup.manifest import Manifest, members_of
from sori_cli.migrate import all_specs

READ_SIDE = ("progress", "notifications")
WORKFLOWS = "workflows"
DATABASES = "databases"
BACKUPS = "backups"
SCHEDULED_PREFIX = "sori-backup-"
SCHEDULED_SUFFIX = ".tar.gz"


def backup_order(services: list[str]) -> list[str]:
    readers = [name for name in services if name in READ_SIDE]
    writers = sorted((name for name in services if name not in READ_SIDE), key=lambda name: name != WORKFLOWS)
    return [*readers, TEMPORAL_DB, *writers]


def database_member(service: str, postgres: bool) -> str:
    return f"{DATABASES}/{service}.{'pgdump' if postgres else 'db'}"


async def write_backup(settings: Settings, file: Path) -> Manifest:
    file.parent.mkdir(parents=True, exist_ok=True)
    postgres = bool(settings.database_url)
    revisions: dict[str, str | None] = {}
    schemas: dict[str, str] = {}
    # Beside the archive: on its file system, and a folder of its owner's alone.
    with tempfile.TemporaryDirectory(dir=file.parent, prefix=".sori-backup-") as staging:
        folder = Path(staging)
        for name in backup_order([spec.name for spec in all_specs()]):
            if name == TEMPORAL_DB:
                TEMPORAL.take(settings.home, folder)
            elif postgres:
                schema, exists, revisions[name] = await postgres_schema(settings, name)
                schemas[name] = schema
                if exists:
                    await dump_schema(settings, schema, folder / database_member(name, postgres))
            elif (live := sqlite_file(settings, name)).is_file():
                copy = folder / database_member(name, postgres)
                copy_sqlite(live, copy)
                revisions[name] = sqlite_revision(copy)
        for item in HOME_FILES:
            item.take(settings.home, folder)
        if not (members := members_of(folder)):
            raise BackupFailed(f"nothing to back up: no database and no files of SoRi's in {settings.home}")
        database = "postgresql" if postgres else "sqlite"
        manifest = Manifest(database=database, schemas=schemas, revisions=revisions, members=members)
        pack(folder, manifest, file)
    return manifest


def scheduled_file(settings: Settings) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return settings.home / BACKUPS / f"{SCHEDULED_PREFIX}{stamp}{SCHEDULED_SUFFIX}"


def keep_newest(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` archives this command named there (their names sort by time); those removed."""
    archives = sorted(folder.glob(f"{SCHEDULED_PREFIX}*{SCHEDULED_SUFFIX}"))
    removed = archives[:-keep]
    for archive in removed:
        archive.unlink()
    return removed


async def take_backup(settings: Settings, file: Path | None) -> int:
    settings.home = settings.home.resolve()
    target = file or scheduled_file(settings)
    try:
        manifest = await write_backup(settings, target)
    except (BackupFailed, OSError, ValueError) as failed:
        print(f"✗ no backup written: {failed}", file=sys.stderr)
        return 1
    size = sum(member.size for member in manifest.members.values())
    print(f"✓ {target}: SoRi {manifest.sori_version}, {len(manifest.members)} files, {size} bytes before compression")
    for service, revision in manifest.revisions.items():
        print(f"  {service}: revision {revision or '(none recorded)'}")
    if file is None:
        for old in keep_newest(target.parent, settings.backup_keep):
            print(f"  removed the older {old.name} (SORI_BACKUP_KEEP={settings.backup_keep})")
    return 0
