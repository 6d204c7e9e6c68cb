"""Evidence files are judged by their bytes, named safely, and stored once under their sha256."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from services.social_approaches.evidence_files import UnsupportedType, check_name, sniff, store
from sori.errors import CommandRefused, RefusalKind

pytestmark = pytest.mark.unit


def zipped(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (b"%PDF-1.4 ...", "a.pdf", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n....", "a.png", "image/png"),
        (b"\xff\xd8\xff\xdb....", "a.jpg", "image/jpeg"),
        (b"a,b\n1,2\n", "a.CSV", "text/csv"),
        ("Извештај за центарот\n".encode(), "report", "text/plain"),
        (
            zipped("word/document.xml"),
            "a.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (zipped("xl/workbook.xml"), "a.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_the_bytes_say_what_a_file_is(content: bytes, name: str, content_type: str) -> None:
    assert sniff(content, name) == content_type


@pytest.mark.parametrize(
    "content",
    [
        b"GIF89a\x01\x00\x01\x00\x80",
        b"\x00\x01\x02binary",
        b"\xc3\x28 not utf-8",
        zipped("payload.exe"),
        b"PK\x03\x04 broken",
    ],
)
def test_other_bytes_are_unsupported_whatever_the_name(content: bytes) -> None:
    with pytest.raises(UnsupportedType):
        sniff(content, "report.pdf")


def test_an_empty_file_is_invalid() -> None:
    with pytest.raises(CommandRefused) as refused:
        sniff(b"", "a.txt")

    assert refused.value.kind is RefusalKind.INVALID


@pytest.mark.parametrize("name", ["../etc/passwd", "a/b.pdf", "a\\b.pdf", "..", "a..b", "", "   ", "x" * 256])
def test_names_that_could_be_paths_or_are_unusable_are_invalid(name: str) -> None:
    with pytest.raises(CommandRefused) as refused:
        check_name(name)

    assert refused.value.kind is RefusalKind.INVALID


def test_a_plain_name_is_kept_as_given() -> None:
    assert check_name("Izvještaj za 2025. godinu.pdf") == "Izvještaj za 2025. godinu.pdf"


def test_files_are_stored_once_under_their_sha256(tmp_path: Path) -> None:
    first = store(tmp_path / "evidence", b"%PDF-1.4", "application/pdf")
    second = store(tmp_path / "evidence", b"%PDF-1.4", "application/pdf")

    assert first == second
    assert first.sha256 == hashlib.sha256(b"%PDF-1.4").hexdigest()
    assert [p.name for p in (tmp_path / "evidence").iterdir()] == [first.sha256]
