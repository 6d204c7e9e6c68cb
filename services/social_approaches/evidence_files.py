"""Evidence files: what the bytes are (never what the uploader says), safe names, and storage by sha256."""

import hashlib
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sori.errors import UPLOAD_BODY_LIMIT, UPLOAD_FILE_LIMIT, CommandRefused, RefusalKind

MAX_BYTES = UPLOAD_FILE_LIMIT
TOO_LARGE = "the file is larger than the limit of 20 MB"
# Room for the multipart boundaries and part headers around a file of the largest allowed size.
MULTIPART_ALLOWANCE = UPLOAD_BODY_LIMIT - MAX_BYTES
ACCEPTED = "PDF, PNG, JPEG, CSV or plain text, DOCX or XLSX"
_SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))
_OFFICE_PARTS = (
    ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
)
_TEXT_CONTROLS = {"\t", "\n", "\r", "\f"}
_TEXT_SUFFIXES = {"": "text/plain", "txt": "text/plain", "csv": "text/csv"}


class UnsupportedType(Exception):
    """Refused as a 415: the bytes are of a kind SoRi does not keep."""


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    content_type: str


def check_name(name: str) -> str:
    """A display name only: files are stored by their hash, and names that look like paths are refused."""
    if not name or not name.strip():
        raise CommandRefused(RefusalKind.INVALID, "the file needs a name")
    if "/" in name or "\\" in name or ".." in name or "\x00" in name:
        raise CommandRefused(RefusalKind.INVALID, f"the name {name!r} contains a path separator or '..'")
    if len(name) > 255:
        raise CommandRefused(RefusalKind.INVALID, "the name is longer than 255 characters")
    return name


def sniff(content: bytes, name: str) -> str:
    """The content type the bytes show; a declared type is never consulted."""
    if not content:
        raise CommandRefused(RefusalKind.INVALID, "the file is empty")
    for signature, content_type in _SIGNATURES:
        if content.startswith(signature):
            return content_type
    if content.startswith(b"PK\x03\x04"):
        return _office_type(content)
    if _is_text(content):
        return _text_type(content, name)
    raise UnsupportedType(f"the file is not of an accepted type ({ACCEPTED})")


def _text_type(content: bytes, name: str) -> str:
    """Text is kept only under a text name (or none), and never as markup a browser would run."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix not in _TEXT_SUFFIXES:
        raise UnsupportedType(f"the bytes are text, which is kept only as .txt or .csv, not as '{name}'")
    if content.lstrip()[:1] == b"<":
        raise UnsupportedType("markup (HTML, XML, SVG) is not kept as evidence")
    return _TEXT_SUFFIXES[suffix]


def _office_type(content: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
    except zipfile.BadZipFile as exc:
        raise UnsupportedType(f"the file is a damaged archive, not one of {ACCEPTED}") from exc
    for part, content_type in _OFFICE_PARTS:
        if part in names:
            return content_type
    raise UnsupportedType(f"the file is a ZIP archive, not one of {ACCEPTED}")


def _is_text(content: bytes) -> bool:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(ch) < 32 and ch not in _TEXT_CONTROLS for ch in text)


def store(directory: Path, content: bytes, content_type: str) -> StoredFile:
    """Write the bytes once under their sha256; a write goes to a temporary file first so no half file is seen."""
    digest = hashlib.sha256(content).hexdigest()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / digest
    if not target.exists():
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".incoming-")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, target)
    return StoredFile(sha256=digest, size=len(content), content_type=content_type)
