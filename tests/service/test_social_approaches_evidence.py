"""A local government backs its reports with evidence: files are checked by their bytes and kept by their hash."""

import hashlib
import io
import zipfile

import pytest

from contracts.envelope import Role
from services.social_approaches.evidence_files import MAX_BYTES, TOO_LARGE
from sori.errors import UPLOAD_BODY_LIMIT, too_large
from sori.settings import Settings
from tests.support.services import ServiceUnderTest
from tests.support.social_approaches import API, LG, LGA, OTHER_LGA, lg
from tests.support.tokens import Tokens

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def stored_files(settings: Settings) -> list[str]:
    directory = settings.home / "evidence"
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


async def test_lg_uploads_a_pdf_kept_under_its_sha256(sa: ServiceUnderTest, tokens: Tokens, settings: Settings) -> None:
    response = await sa.http.post(
        f"{API}/evidence", files={"file": ("Day centre report.pdf", PDF, "application/pdf")}, headers=lg(tokens)
    )

    assert response.status_code == 201, response.text
    body = response.json()
    digest = hashlib.sha256(PDF).hexdigest()
    assert (body["sha256"], body["size"], body["content_type"]) == (digest, len(PDF), "application/pdf")
    assert (body["owner"], body["name"]) == (LG, "Day centre report.pdf")
    assert stored_files(settings) == [digest]
    assert (settings.home / "evidence" / digest).read_bytes() == PDF


@pytest.mark.parametrize(
    ("name", "content", "sniffed"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"),
        ("attendance.csv", "name,count\nDay centre,42\nŠtip,3\n".encode(), "text/csv"),
        ("notes.txt", b"Visited three settlements.\n", "text/plain"),
        (
            "minutes.docx",
            office_file("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "figures.xlsx",
            office_file("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
async def test_accepted_types_are_recognised_by_their_bytes_not_the_declared_type(
    sa: ServiceUnderTest, tokens: Tokens, name: str, content: bytes, sniffed: str
) -> None:
    response = await sa.http.post(
        f"{API}/evidence", files={"file": (name, content, "application/octet-stream")}, headers=lg(tokens)
    )

    assert response.status_code == 201, response.text
    assert response.json()["content_type"] == sniffed


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 64),
        ("report.pdf", b"GIF89a" + b"\x00" * 16),
        ("report.pdf", office_file("content.txt")),
    ],
)
async def test_a_file_of_another_type_is_a_415_even_when_declared_as_pdf(
    sa: ServiceUnderTest, tokens: Tokens, settings: Settings, name: str, content: bytes
) -> None:
    response = await sa.http.post(
        f"{API}/evidence", files={"file": (name, content, "application/pdf")}, headers=lg(tokens)
    )

    assert response.status_code == 415
    assert "not" in response.json()["detail"]
    assert "PDF, PNG, JPEG, CSV or plain text, DOCX or XLSX" in response.json()["detail"]
    assert stored_files(settings) == []


@pytest.mark.parametrize("excess", [1, 1024 * 1024], ids=["just-over", "far-over"])
async def test_a_file_over_20_mb_is_a_413_and_nothing_is_stored(
    sa: ServiceUnderTest, tokens: Tokens, settings: Settings, excess: int
) -> None:
    too_big = PDF + b"0" * (MAX_BYTES - len(PDF) + excess)

    response = await sa.http.post(
        f"{API}/evidence", files={"file": ("big.pdf", too_big, "application/pdf")}, headers=lg(tokens)
    )

    assert response.status_code == 413
    # Just over, the service reads the file and says so; far over, the body's declared length is refused unread.
    assert response.json()["detail"] in (TOO_LARGE, too_large(UPLOAD_BODY_LIMIT))
    assert stored_files(settings) == []


async def test_a_file_of_exactly_20_mb_is_kept(sa: ServiceUnderTest, tokens: Tokens, settings: Settings) -> None:
    exactly = PDF + b"0" * (MAX_BYTES - len(PDF))

    response = await sa.http.post(
        f"{API}/evidence", files={"file": ("big.pdf", exactly, "application/pdf")}, headers=lg(tokens)
    )

    assert response.status_code == 201, response.text
    assert response.json()["size"] == MAX_BYTES


@pytest.mark.parametrize("name", ["../secret.pdf", "reports/q1.pdf", "reports\\q1.pdf", "..pdf"])
async def test_a_name_with_a_path_separator_or_dot_dot_is_refused(
    sa: ServiceUnderTest, tokens: Tokens, settings: Settings, name: str
) -> None:
    response = await sa.http.post(f"{API}/evidence", files={"file": (name, PDF, "application/pdf")}, headers=lg(tokens))

    assert response.status_code == 422
    assert response.json()["detail"] == f"the name {name!r} contains a path separator or '..'"
    assert stored_files(settings) == []


async def test_an_empty_file_is_refused(sa: ServiceUnderTest, tokens: Tokens, settings: Settings) -> None:
    response = await sa.http.post(
        f"{API}/evidence", files={"file": ("empty.txt", b"", "text/plain")}, headers=lg(tokens)
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "the file is empty"
    assert stored_files(settings) == []


async def test_the_same_bytes_twice_are_stored_once(sa: ServiceUnderTest, tokens: Tokens, settings: Settings) -> None:
    first = await sa.http.post(f"{API}/evidence", files={"file": ("a.pdf", PDF, "application/pdf")}, headers=lg(tokens))
    second = await sa.http.post(
        f"{API}/evidence", files={"file": ("b.pdf", PDF, "application/pdf")}, headers=lg(tokens)
    )

    assert first.json()["evidence_id"] != second.json()["evidence_id"]
    assert first.json()["sha256"] == second.json()["sha256"]
    assert len(stored_files(settings)) == 1


async def test_lg_gives_a_link_as_evidence(sa: ServiceUnderTest, tokens: Tokens, settings: Settings) -> None:
    link = {"url": "https://kumanovo.gov.mk/day-centre.pdf", "name": "Day-centre report"}

    response = await sa.http.post(f"{API}/evidence", json=link, headers=lg(tokens))

    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["url"], body["name"], body["sha256"], body["owner"]) == (link["url"], link["name"], None, LG)
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ({"url": "file:///etc/passwd", "name": "x"}, "the link 'file:///etc/passwd' is not an http(s) address"),
        ({"url": "https://example.org/x", "name": "a/b"}, "the name 'a/b' contains a path separator or '..'"),
        ({"name": "no url"}, "url: Field required"),
    ],
)
async def test_a_bad_link_is_refused_with_the_reason(
    sa: ServiceUnderTest, tokens: Tokens, link: dict[str, str], reason: str
) -> None:
    response = await sa.http.post(f"{API}/evidence", json=link, headers=lg(tokens))

    assert response.status_code == 422
    assert response.json()["detail"] == reason


async def test_a_body_that_is_neither_a_file_nor_json_is_a_415(sa: ServiceUnderTest, tokens: Tokens) -> None:
    response = await sa.http.post(
        f"{API}/evidence", content=PDF, headers={**lg(tokens), "content-type": "application/pdf"}
    )

    assert response.status_code == 415
    assert "multipart/form-data" in response.json()["detail"]


async def test_evidence_is_read_by_its_association_but_not_by_another(sa: ServiceUnderTest, tokens: Tokens) -> None:
    uploaded = await sa.http.post(
        f"{API}/evidence", files={"file": ("a.pdf", PDF, "application/pdf")}, headers=lg(tokens)
    )
    path = f"{API}/evidence/{uploaded.json()['evidence_id']}"

    own = await sa.http.get(path, headers=tokens.header(Role.LGA, LGA))
    other = await sa.http.get(path, headers=tokens.header(Role.LGA, OTHER_LGA))

    assert own.status_code == 200
    assert own.json()["sha256"] == uploaded.json()["sha256"]
    assert other.status_code == 403
    assert other.json()["detail"] == f"{LG} belongs to association {LGA}; you act for {OTHER_LGA}"


async def test_readers_download_an_uploaded_file_as_an_attachment(sa: ServiceUnderTest, tokens: Tokens) -> None:
    uploaded = await sa.http.post(
        f"{API}/evidence", files={"file": ("minutes.pdf", PDF, "text/html")}, headers=lg(tokens)
    )
    path = f"{API}/evidence/{uploaded.json()['evidence_id']}/content"

    downloaded = await sa.http.get(path, headers=tokens.header(Role.NALAS, "NALAS"))
    refused = await sa.http.get(path, headers=tokens.header(Role.LGA, OTHER_LGA))

    assert downloaded.status_code == 200
    assert downloaded.content == PDF
    assert downloaded.headers["content-type"] == "application/pdf"
    assert downloaded.headers["content-disposition"].startswith("attachment")
    assert refused.status_code == 403


async def test_a_link_has_no_content_to_download(sa: ServiceUnderTest, tokens: Tokens) -> None:
    link = await sa.http.post(f"{API}/evidence", json={"url": "https://x.org/r.pdf", "name": "r"}, headers=lg(tokens))

    response = await sa.http.get(f"{API}/evidence/{link.json()['evidence_id']}/content", headers=lg(tokens))

    assert response.status_code == 409
    assert response.json()["detail"].endswith("is a link, not a file: https://x.org/r.pdf")
