"""Evidence uploads that must not get in: too large (413), bytes of another kind than they claim (415), names that
look like paths (422) — and in none of these cases does anything land under SORI_HOME."""

from pathlib import Path

import pytest

from services.social_approaches.evidence_files import MAX_BYTES, MULTIPART_ALLOWANCE
from sori.settings import Settings
from tests.support.actors import header
from tests.support.services import ServiceUnderTest

EVIDENCE = "/social-approaches/v1/evidence"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)) * 4
GZIP = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(256))
ZIP_NOT_OFFICE = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256))
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n"


def lg(settings: Settings) -> dict[str, str]:
    return header("lg assigned", settings.signing_secret)


def files_under(home: Path) -> set[str]:
    """Every file under SORI_HOME but the service's own database and the signing secret."""
    if not home.exists():
        return set()
    return {
        str(path.relative_to(home))
        for path in home.rglob("*")
        if path.is_file() and ".db" not in path.name and path.name != "secret"
    }


async def upload(sa: ServiceUnderTest, settings: Settings, name: str, content: bytes, declared: str) -> tuple[int, str]:
    before = files_under(settings.home)
    response = await sa.http.post(EVIDENCE, files={"file": (name, content, declared)}, headers=lg(settings))
    assert files_under(settings.home) == before, f"{name} left files under SORI_HOME"
    return response.status_code, response.text


async def test_a_good_pdf_is_kept_so_the_refusals_below_mean_something(
    sa: ServiceUnderTest, settings: Settings
) -> None:
    response = await sa.http.post(
        EVIDENCE, files={"file": ("report.pdf", PDF, "application/pdf")}, headers=lg(settings)
    )

    assert response.status_code == 201, response.text
    assert len(files_under(settings.home)) == 1


@pytest.mark.parametrize(
    "size", [MAX_BYTES + 1, MAX_BYTES + MULTIPART_ALLOWANCE + 1], ids=["one byte over", "declared far over"]
)
async def test_a_file_over_the_limit_is_a_413_and_is_not_kept(
    sa: ServiceUnderTest, settings: Settings, size: int
) -> None:
    content = PDF + b"0" * (size - len(PDF))

    status, text = await upload(sa, settings, "big.pdf", content, "application/pdf")

    assert status == 413, text


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", ELF),
        ("report.pdf", WINDOWS_EXE),
        ("report.pdf", GZIP),
        ("figures.xlsx", ZIP_NOT_OFFICE),
        ("report.pdf", HTML),
    ],
    ids=["ELF as pdf", "Windows exe as pdf", "gzip as pdf", "plain zip as xlsx", "HTML as pdf"],
)
async def test_bytes_that_are_not_what_they_claim_are_a_415_and_are_not_kept(
    sa: ServiceUnderTest, settings: Settings, name: str, content: bytes
) -> None:
    status, text = await upload(sa, settings, name, content, "application/pdf")

    assert status == 415, text


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.pdf", "..\\x.pdf", "/abs.pdf", "sub/dir.pdf", ".."],
)
async def test_a_name_that_looks_like_a_path_is_a_422_and_nothing_is_kept(
    sa: ServiceUnderTest, settings: Settings, name: str
) -> None:
    status, text = await upload(sa, settings, name, PDF, "application/pdf")

    assert status == 422, text
    assert not (settings.home.parent / "etc").exists()
    assert not Path("/abs.pdf").exists()


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\x.pdf", "/abs.pdf"])
async def test_a_link_whose_name_looks_like_a_path_is_a_422(
    sa: ServiceUnderTest, settings: Settings, name: str
) -> None:
    link = {"url": "https://kumanovo.gov.mk/report.pdf", "name": name}

    response = await sa.http.post(EVIDENCE, json=link, headers=lg(settings))

    assert response.status_code == 422, response.text
