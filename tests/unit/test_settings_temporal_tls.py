"""TEMPORAL_TLS_*: half a configuration is refused when Settings are read, naming the setting; a whole one becomes
the SDK's TLSConfig."""

from pathlib import Path

import pytest
from pydantic import ValidationError
from temporalio.service import TLSConfig

from sori.settings import Settings
from sori.temporal import tls_config
from sori_cli.main import main
from tests.support.certificates import Authority, Issued, authority

CA = "TEMPORAL_TLS_SERVER_CA_CERT_PATH"
CERT = "TEMPORAL_TLS_CLIENT_CERT_PATH"
KEY = "TEMPORAL_TLS_CLIENT_KEY_PATH"


@pytest.fixture
def ca(tmp_path: Path) -> Authority:
    return authority(tmp_path, "temporal-ca")


@pytest.fixture
def client(ca: Authority) -> Issued:
    return ca.issue("sori", server=False)


def refusal(**tls: object) -> str:
    with pytest.raises(ValidationError) as refused:
        Settings.model_validate(tls)
    (error,) = refused.value.errors()
    return str(error["msg"])


def test_a_certificate_without_its_key_is_refused_naming_both_settings(client: Issued) -> None:
    assert f"{CERT} is set but {KEY} is not" in refusal(**{CERT: client.cert})


def test_a_key_without_its_certificate_is_refused_naming_both_settings(client: Issued) -> None:
    assert f"{KEY} is set but {CERT} is not" in refusal(**{KEY: client.key})


def test_a_missing_file_is_refused_naming_its_setting(client: Issued, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.crt"
    assert f"{CA}={missing}: no such file" in refusal(**{CA: missing, CERT: client.cert, KEY: client.key})


def test_a_file_that_is_no_certificate_is_refused_naming_its_setting(client: Issued, tmp_path: Path) -> None:
    garbage = tmp_path / "ca.crt"
    garbage.write_text("not a certificate")
    assert f"{CA}={garbage}: not a readable PEM certificate" in refusal(**{CA: garbage})


def test_a_key_of_another_certificate_is_refused_naming_both_settings(ca: Authority, client: Issued) -> None:
    other = ca.issue("someone-else", server=False)
    message = refusal(**{CERT: client.cert, KEY: other.key})
    assert f"{CERT}={client.cert} and {KEY}={other.key}" in message


def test_no_tls_setting_means_a_plain_connection() -> None:
    settings = Settings.model_validate({})
    assert settings.temporal_tls is False
    assert tls_config(settings) is False


def test_a_whole_configuration_becomes_the_sdks_tls_config(ca: Authority, client: Issued) -> None:
    settings = Settings.model_validate(
        {CA: ca.cert, CERT: client.cert, KEY: client.key, "TEMPORAL_TLS_SERVER_NAME": "temporal-frontend"}
    )
    assert tls_config(settings) == TLSConfig(
        server_root_ca_cert=ca.cert.read_bytes(),
        client_cert=client.cert.read_bytes(),
        client_private_key=client.key.read_bytes(),
        domain="temporal-frontend",
    )


def test_the_sori_command_refuses_to_start_with_the_settings_name_not_a_traceback(
    client: Issued, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(CERT, str(client.cert))
    monkeypatch.delenv(KEY, raising=False)
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "worker"])
    assert stopped.value.code == 2
    assert (
        capsys.readouterr().err
        == f"sori: {CERT} is set but {KEY} is not: a client certificate goes with its private key\n"
    )
