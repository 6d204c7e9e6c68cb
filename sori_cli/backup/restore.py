"""`sori restore FILE`: a backup back in place of what SORI_HOME (or the PostgreSQL schemas) holds, then migrated.

Nothing is changed until the whole archive has been read and checked against its manifest, and never under a
running stack. After the databases are back, every outbox row is marked unpublished: the next `sori up` starts an
empty broker (the embedded one keeps nothing), and its relays send each service's whole history again, in commit
order, exactly as `sori up` refills a broker that restarted (sori_cli/stack/refill.py). So an event a reader had
not yet applied when the backup was taken reaches it, and one it had applied is skipped by its inbox (the
lifecycle workflows skip an event id they applied): nothing is lost, and nothing is applied twice.
"""

import json
import sys
import tempfile
from pathlib import Path

from sori.migrations import MigrationRefused
from sori.settings import Settings
from sori_cli.backup.archive import unpack
from sori_cli.backup.databases import BackupFailed, remove_sqlite, restore_schema, sqlite_file
from sori_cli.backup.home import HOME_FILES, TEMPORAL
from sori_cli.backup.manifest import CorruptBackup, Manifest
from sori_cli.backup.take import database_member
from sori_cli.migrate import all_specs, migrate_all
from sori_cli.stack.child import process_alive
from sori_cli.stack.refill import republish_all
from sori_cli.stack.report import STACK_FILE
from sori_cli.stack.up import private_home


class RestoreRefused(Exception):
    pass


def running_parts(home: Path) -> list[str]:
    """The parts of a `sori up` on this home that still run, by the stack file it keeps while it runs."""
    try:
        document = json.loads((home / STACK_FILE).read_text())
    except (OSError, ValueError):
        return []
    processes = document.get("processes", {}) if isinstance(document, dict) else {}
    return [f"{name} (pid {pid})" for name, pid in processes.items() if isinstance(pid, int) and process_alive(pid)]


def refuse_running_stack(home: Path) -> None:
    if running := running_parts(home):
        raise RestoreRefused(
            f"SoRi is running on {home}: {', '.join(running)}. Stop it (Ctrl-C in `sori up`) and restore again"
        )


def check_fits(settings: Settings, manifest: Manifest) -> None:
    """The archive's databases must be of the kind, and for PostgreSQL under the schema names, this SoRi uses."""
    here = "postgresql" if settings.database_url else "sqlite"
    if manifest.database != here:
        raise RestoreRefused(f"the backup holds {manifest.database} databases and this SoRi uses {here}")
    for service, schema in manifest.schemas.items():
        expected = f"{settings.database_schema_prefix}{service}"
        if schema != expected:
            raise RestoreRefused(
                f"the backup's {service} schema is {schema!r} and this SoRi's is {expected!r}: set SORI_SCHEMA_PREFIX"
            )


async def put_back(settings: Settings, folder: Path, manifest: Manifest) -> None:
    postgres = manifest.database == "postgresql"
    for spec in all_specs():
        member = database_member(spec.name, postgres)
        archived = folder / member if member in manifest.members else None
        if postgres:
            await restore_schema(settings, spec.name, archived)
        else:
            live = sqlite_file(settings, spec.name)
            remove_sqlite(live)
            if archived:
                archived.rename(live)
    for item in (TEMPORAL, *HOME_FILES):
        item.put_back(folder, settings.home)


async def restore_backup(settings: Settings, file: Path) -> int:
    settings.home = settings.home.resolve()
    try:
        refuse_running_stack(settings.home)
        private_home(settings.home)
        with tempfile.TemporaryDirectory(dir=settings.home, prefix=".sori-restore-") as staging:
            manifest = unpack(file, Path(staging))
            check_fits(settings, manifest)
            await put_back(settings, Path(staging), manifest)
    except (CorruptBackup, RestoreRefused, ValueError) as refused:
        print(f"✗ {file} not restored, nothing was changed: {refused}", file=sys.stderr)
        return 1
    except BackupFailed as failed:
        print(f"✗ {file} only partly restored: {failed}; restore it again once the cause is fixed", file=sys.stderr)
        return 1
    print(f"✓ restored {file}: SoRi {manifest.sori_version}, taken {manifest.created_at:%Y-%m-%d %H:%M:%S} UTC")
    try:
        migrations = await migrate_all(settings)
    except MigrationRefused as refused:
        print(f"✗ restored, but not migrated: {refused}", file=sys.stderr)
        return 1
    for migration in migrations:
        print(f"  {migration}")
    queued = await republish_all(settings)
    print(f"  {queued} events will be sent again when SoRi starts; each reader's inbox skips those it had applied")
    return 0
