"""Settings come only from SORI_* and the standard infrastructure names, never from the generic variables (HOME,
HOST, PORT, SECRET…) that every shell already has."""

import pytest
from pydantic_settings import BaseSettings

from services.notifications.settings import NotificationSettings
from sori.settings import Settings

GENERIC = ["HOME", "HOST", "PORT", "SECRET", "USER", "LOG_LEVEL", "TMPDIR", "LANG"]


def generic_names(settings: type[BaseSettings]) -> set[str]:
    """A field's own name in both cases, beside the usual generic ones; not the names settings are read from (such as
    DATABASE_URL)."""
    fields = settings.model_fields
    own = {str(info.alias).upper() for info in fields.values()}
    names = {name for field in fields for name in (field, field.upper())} | set(GENERIC)
    return {name for name in names if name.upper() not in own}


@pytest.mark.parametrize("settings", [Settings, NotificationSettings])
def test_generic_variables_change_no_setting(settings: type[BaseSettings], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in generic_names(settings):
        monkeypatch.delenv(name, raising=False)
    untouched = settings()
    for name in generic_names(settings):
        monkeypatch.setenv(name, "/odd/value")
    assert settings() == untouched


def test_home_host_and_secret_come_from_their_own_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/somebody")
    monkeypatch.setenv("SORI_HOME", "/srv/sori")
    monkeypatch.setenv("SORI_HOST", "0.0.0.0")
    settings = Settings()
    assert str(settings.home) == "/srv/sori"
    assert settings.host == "0.0.0.0"
