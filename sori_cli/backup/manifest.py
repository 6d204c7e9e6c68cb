"""What an archive holds and how to tell it is whole: manifest.json, with the size and sha256 of every member."""

import hashlib
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from sori.version import __version__

MANIFEST = "manifest.json"
FORMAT: Literal[1] = 1
CHUNK = 1 << 20


class CorruptBackup(Exception):
    """The archive is not one `sori backup` wrote, or not whole; nothing has been changed."""


class Member(BaseModel):
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Manifest(BaseModel):
    format: Literal[1] = FORMAT
    sori_version: str = __version__
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    database: Literal["sqlite", "postgresql"]
    # Each service's PostgreSQL schema, which a restore recreates under the same name.
    schemas: dict[str, str] = Field(default_factory=dict)
    # Each service's schema revision (Alembic's version table), None where the database has none yet.
    revisions: dict[str, str | None] = Field(default_factory=dict)
    members: dict[str, Member]

    @classmethod
    def parse(cls, raw: bytes) -> "Manifest":
        try:
            manifest = cls.model_validate_json(raw)
        except ValidationError as invalid:
            raise CorruptBackup(f"its {MANIFEST} is not one `sori backup` writes: {invalid}") from invalid
        for name in manifest.members:
            safe_member(name)
        return manifest


def safe_member(name: str) -> PurePosixPath:
    """A member's path, refused if it would land outside the folder it is unpacked into."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or name == MANIFEST:
        raise CorruptBackup(f"it names a member outside the backup: {name!r}")
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def members_of(folder: Path) -> dict[str, Member]:
    """Every file under the folder, by its path there."""
    return {
        path.relative_to(folder).as_posix(): Member(size=path.stat().st_size, sha256=sha256_of(path))
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def check_members(folder: Path, manifest: Manifest) -> None:
    """Raise CorruptBackup unless the folder holds exactly the manifest's members, each its size and checksum."""
    found = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}
    if missing := sorted(set(manifest.members) - found):
        raise CorruptBackup(f"members listed in {MANIFEST} are missing: {', '.join(missing[:5])}")
    if extra := sorted(found - set(manifest.members)):
        raise CorruptBackup(f"it holds members {MANIFEST} does not list: {', '.join(extra[:5])}")
    for name, member in manifest.members.items():
        path = folder / name
        if path.stat().st_size != member.size or sha256_of(path) != member.sha256:
            raise CorruptBackup(f"{name} does not match its size and checksum in {MANIFEST}")
