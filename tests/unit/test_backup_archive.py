"""A backup archive is read back only whole: every member its size and checksum in the manifest, nothing more,
nothing outside the folder it is unpacked into; and the scheduled backups keep the newest few."""

import io
import tarfile
from pathlib import Path

import pytest

from sori_cli.backup.archive import pack, unpack
from sori_cli.backup.manifest import MANIFEST, CorruptBackup, Manifest, members_of
from sori_cli.backup.take import SCHEDULED_PREFIX, SCHEDULED_SUFFIX, keep_newest
from tests.support.backups import rewritten_tar

ARCHIVES = ["backup.tar.gz", "backup.zip"]


def written(tmp_path: Path, name: str) -> tuple[Path, Manifest]:
    folder = tmp_path / "taken"
    (folder / "databases").mkdir(parents=True)
    (folder / "databases" / "roadmaps.db").write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 8)
    (folder / "home" / "evidence").mkdir(parents=True)
    (folder / "home" / "evidence" / "ab12").write_bytes(b"%PDF-1.4 the opening of the day-care unit")
    manifest = Manifest(database="sqlite", revisions={"roadmaps": None}, members=members_of(folder))
    archive = tmp_path / name
    pack(folder, manifest, archive)
    return archive, manifest


@pytest.mark.parametrize("name", ARCHIVES)
def test_an_archive_unpacks_to_what_was_packed_with_its_manifest(tmp_path: Path, name: str) -> None:
    archive, manifest = written(tmp_path, name)

    found = unpack(archive, tmp_path / "back")

    assert found.members == manifest.members
    assert (tmp_path / "back" / "home" / "evidence" / "ab12").read_bytes().startswith(b"%PDF")
    assert archive.stat().st_mode & 0o777 == 0o600


def test_a_member_changed_after_the_backup_is_refused_by_name(tmp_path: Path) -> None:
    archive, _ = written(tmp_path, "backup.tar.gz")
    rewritten_tar(archive, {"databases/roadmaps.db": b"SQLite format 3\x00 but another database"})

    with pytest.raises(CorruptBackup, match=r"databases/roadmaps\.db does not match its size and checksum"):
        unpack(archive, tmp_path / "back")


def test_a_member_the_manifest_does_not_list_is_refused(tmp_path: Path) -> None:
    archive, _ = written(tmp_path, "backup.tar.gz")
    rewritten_tar(archive, {"databases/intruder.db": b"not ours"})

    with pytest.raises(CorruptBackup, match=r"does not list: databases/intruder\.db"):
        unpack(archive, tmp_path / "back")


def test_a_member_outside_the_folder_is_refused_before_it_is_written(tmp_path: Path) -> None:
    archive, _ = written(tmp_path, "backup.tar.gz")
    rewritten_tar(archive, {"../escaped": b"outside"})

    with pytest.raises(CorruptBackup, match="outside the backup"):
        unpack(archive, tmp_path / "back")
    assert not (tmp_path / "escaped").exists()


@pytest.mark.parametrize("name", ARCHIVES)
def test_a_truncated_archive_is_refused(tmp_path: Path, name: str) -> None:
    archive, _ = written(tmp_path, name)
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    with pytest.raises(CorruptBackup):
        unpack(archive, tmp_path / "back")


def test_an_archive_without_a_manifest_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "other.tar.gz"
    with tarfile.open(archive, "w:gz") as other:
        info = tarfile.TarInfo("notes.txt")
        other.addfile(info, io.BytesIO(b""))

    with pytest.raises(CorruptBackup, match=f"no {MANIFEST}"):
        unpack(archive, tmp_path / "back")


def test_a_manifest_of_another_format_is_refused(tmp_path: Path) -> None:
    archive, _ = written(tmp_path, "backup.tar.gz")
    rewritten_tar(archive, {MANIFEST: b'{"format": 2, "database": "sqlite", "members": {}}'})

    with pytest.raises(CorruptBackup, match="not one `sori backup` writes"):
        unpack(archive, tmp_path / "back")


def test_the_scheduled_backups_keep_the_newest(tmp_path: Path) -> None:
    names = [f"{SCHEDULED_PREFIX}2026120{day}T030000000000Z{SCHEDULED_SUFFIX}" for day in range(1, 6)]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "by-hand.tar.gz").write_bytes(b"")

    removed = keep_newest(tmp_path, 2)

    assert [path.name for path in removed] == names[:3]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["by-hand.tar.gz", *names[3:]]
