"""Backup archives changed after they were written, for the tests that check a restore refuses them."""

import io
import tarfile
from pathlib import Path


def rewritten_tar(archive: Path, change: dict[str, bytes]) -> None:
    """The tar.gz again, with some members' content replaced or added (the manifest left as it was)."""
    with tarfile.open(archive, "r:gz") as old:
        members = {info.name: old.extractfile(info).read() for info in old if info.isfile()}  # type: ignore[union-attr]
    members |= change
    with tarfile.open(archive, "w:gz") as new:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            new.addfile(info, io.BytesIO(content))
