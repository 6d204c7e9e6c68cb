"""Secrets come only from the environment: none is committed, and the signing key is made on first use, kept in
SORI_HOME/secret with mode 0600, when SORI_SECRET is not set."""

import re
import stat
import subprocess
from pathlib import Path

import pytest

from sori.settings import Settings

ROOT = Path(__file__).resolve().parents[2]

JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")
PRIVATE_KEY = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")
# NAME=value or NAME: value where NAME is an environment-style secret (not a ${NAME} reference), or password=value.
SECRET_ASSIGNMENT = re.compile(
    r"""(?<![${])\b(?P<name>[A-Z0-9_]*(?:PASSWORD|PASSWD|PWD|SECRET|API_KEY|TOKEN))\b(?:\s*=\s*|:\s+)"""
    r"""(?P<quote>["']?)(?P<value>[^"'\s,;)}]*)"""
    r"""|(?i:\bpassword\s*=\s*)(?P<pquote>["']?)(?P<pvalue>[^"'\s,;)}&]*)"""
)
CREDENTIALS_IN_URL = re.compile(r"://[^/\s:@'\"]+:(?P<value>[^@/\s'\"]+)@")
# Files where a bare value is a literal; in code only a quoted value is one (else it is an expression).
CODE_SUFFIXES = {".py"}
# Test-only signing keys of the unit tests of sori/auth.py: they sign nothing outside those tests.
ALLOWED = {("tests/unit/test_auth.py", "SECRET"), ("tests/unit/test_auth.py", "OTHER_SECRET")}
PLACEHOLDER = re.compile(
    r"^(?:|\$.*|<.*|….*|\.\.\..*|replace-with-.*|changeme|example.*|(?i:pass|password|secret)|USER|xxx+|\*+)$"
)


def tracked_text_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    files = [ROOT / name for name in listed.decode().split("\0") if name]
    return [path for path in files if path.is_file() and _is_text(path)]


def _is_text(path: Path) -> bool:
    head = path.read_bytes()[:8192]
    return b"\0" not in head


def leaks_in(text: str, name: str = "notes.env") -> list[str]:
    found = [f"JWT {m.group()[:20]}…" for m in JWT.finditer(text)]
    found += [f"private key {m.group()}" for m in PRIVATE_KEY.finditer(text)]
    code = Path(name).suffix in CODE_SUFFIXES
    for match in SECRET_ASSIGNMENT.finditer(text):
        variable = match.group("name") or "password"
        quote, value = match.group("quote") or match.group("pquote"), match.group("value") or match.group("pvalue")
        if (code and not quote) or PLACEHOLDER.match(value or "") or (name, variable) in ALLOWED:
            continue
        found.append(f"secret value in {match.group()[:60]!r}")
    found += [
        f"password in the URL {m.group()[:60]!r}"
        for m in CREDENTIALS_IN_URL.finditer(text)
        if not PLACEHOLDER.match(m.group("value"))
    ]
    return found


def test_the_scan_recognises_what_it_looks_for() -> None:
    token = "eyJhbGciOiJIUzI1NiJ9." + "eyJzdWIiOiJhIn0" + ".c2lnbmF0dXJlLXNpZ25hdHVyZQ"
    assert leaks_in(f"Authorization: Bearer {token}")
    assert leaks_in("-----BEGIN RSA " + "PRIVATE KEY-----\nMIIB…")
    assert leaks_in("POSTGRES_PASSWORD=hunter2")
    assert leaks_in('connect(password="hunter2")', "db.py")
    assert leaks_in('SORI_SECRET = "hunter2-hunter2"', "settings.py")
    assert not leaks_in("SORI_SECRET=secrets.token_urlsafe(32)", "conftest.py")
    assert not leaks_in('SECRETARIAT = "secretariat"', "models.py")
    assert leaks_in("postgresql://sori:hunter2@db:5432/sori")
    assert not leaks_in("POSTGRES_PASSWORD=replace-with-a-database-password")
    assert not leaks_in("POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}")
    assert not leaks_in("postgresql+asyncpg://USER:PASSWORD@HOST:5432/sori")
    assert not leaks_in("postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    assert not leaks_in("# smtp://user:pass@host:587?starttls=1 sends it.")


def test_no_tracked_file_holds_a_token_key_or_password() -> None:
    # This file holds made-up leaks on purpose, to show that the scan recognises them.
    files = [path for path in tracked_text_files() if path != Path(__file__).resolve()]
    leaks = [
        f"{name}: {leak}"
        for path in files
        for name in [str(path.relative_to(ROOT))]
        for leak in leaks_in(path.read_text(errors="replace"), name)
    ]

    assert len(files) > 50, "git ls-files found too few files to mean anything"
    assert not leaks, "\n".join(leaks)


def test_without_sori_secret_a_key_is_made_once_and_kept_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SORI_SECRET", raising=False)
    home = tmp_path / "home"

    first = Settings(SORI_HOME=home).signing_secret
    again = Settings(SORI_HOME=home).signing_secret

    path = home / "secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first == again == path.read_text().strip()
    assert len(first) >= 32


def test_two_homes_get_two_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SORI_SECRET", raising=False)

    assert Settings(SORI_HOME=tmp_path / "a").signing_secret != Settings(SORI_HOME=tmp_path / "b").signing_secret


def test_sori_secret_from_the_environment_wins_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SORI_SECRET", "from-the-environment-" + "x" * 32)
    home = tmp_path / "home"

    assert Settings(SORI_HOME=home).signing_secret == "from-the-environment-" + "x" * 32
    assert not (home / "secret").exists()
