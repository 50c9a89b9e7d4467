"""Settings come from the environment and fail loudly, naming the variable."""

from collections.abc import Iterator

import pytest

from app.settings import Settings, SettingsError, get_settings


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_missing_database_url_is_named(
    monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    monkeypatch.delenv("DATABASE_URL")

    with pytest.raises(SettingsError, match="DATABASE_URL: Field required"):
        get_settings()


def test_short_secret_key_is_rejected(
    monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    monkeypatch.setenv("SECRET_KEY", "short")

    with pytest.raises(SettingsError, match="SECRET_KEY"):
        get_settings()


def test_database_url_uses_the_psycopg_driver() -> None:
    settings = Settings.model_validate(
        {
            "database_url": "postgresql://u:p@127.0.0.1:5432/db",
            "redis_url": "redis://127.0.0.1:6379/0",
            "secret_key": "x" * 32,
        }
    )

    assert settings.sqlalchemy_url == "postgresql+psycopg://u:p@127.0.0.1:5432/db"
