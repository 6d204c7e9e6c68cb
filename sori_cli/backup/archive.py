"""One archive file, tar.gz or zip by its name, written whole or not at all and read back member by member."""

import os
import shutil
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from sori_cli.backup.manifest import MANIFEST, CorruptBackup, Manifest, check_members, safe_member

SUFFIXES = (".tar.gz", ".tgz", ".zip")


def check_suffix(file: Path) -> None:
    if not file.name.endswith(SUFFIXES):
        raise ValueError(f"{file}: a backup is a {', '.join(SUFFIXES)} file")


def pack(folder: Path, manifest: Manifest, file: Path) -> None:
    """The manifest first, then the folder's files; written aside and renamed, so a crash leaves no half archive."""
    check_suffix(file)
    aside = file.with_name(f".{file.name}.part")
    names = sorted(manifest.members)
    body = manifest.model_dump_json(indent=2).encode()
    if file.name.endswith(".zip"):
        with zipfile.ZipFile(aside, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, body)
            for name in names:
                archive.write(folder / name, name)
    else:
        (folder / MANIFEST).write_bytes(body)
        with tarfile.open(aside, "w:gz") as archive:
            for name in [MANIFEST, *names]:
                archive.add(folder / name, name, recursive=False)
        (folder / MANIFEST).unlink()
    aside.chmod(0o600)  # it holds what SORI_HOME holds, secrets among it
    os.replace(aside, file)


def unpack(file: Path, folder: Path) -> Manifest:
    """The archive's files into the folder, checked against its manifest; CorruptBackup if anything is amiss."""
    check_suffix(file)
    if not file.is_file():
        raise CorruptBackup(f"{file} is not a file")
    try:
        with _members(file) as members:
            manifest: Manifest | None = None
            for name, content in members:
                if name == MANIFEST:
                    manifest = Manifest.parse(content.read())
                    continue
                target = folder / safe_member(name)
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as out:
                    shutil.copyfileobj(content, out)
    except (tarfile.TarError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as unreadable:
        raise CorruptBackup(f"{file} cannot be read as an archive: {unreadable}") from unreadable
    if manifest is None:
        raise CorruptBackup(f"{file} has no {MANIFEST}")
    check_members(folder, manifest)
    return manifest


@contextmanager
def _members(file: Path) -> Iterator[Iterator[tuple[str, IO[bytes]]]]:
    """Each regular file in the archive, by name; links and devices are no part of a backup and are refused."""
    if file.name.endswith(".zip"):
        with zipfile.ZipFile(file) as archive:
            yield ((info.filename, archive.open(info)) for info in archive.infolist() if not info.is_dir())
    else:
        with tarfile.open(file, "r:gz") as archive:
            yield (_tar_member(archive, info) for info in archive if not info.isdir())


def _tar_member(archive: tarfile.TarFile, info: tarfile.TarInfo) -> tuple[str, IO[bytes]]:
    content = archive.extractfile(info) if info.isfile() else None
    if content is None:
        raise CorruptBackup(f"{info.name} is not a regular file")
    return info.name, content
