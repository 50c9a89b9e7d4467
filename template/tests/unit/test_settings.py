"""Settings come from the environment and fail loudly, naming the variable."""

import re
import secrets
import subprocess

import pytest

from app.settings import SettingsError
from tests.support.servers import PROJECT_ROOT
from tests.support.settings import OverrideSettings


def test_missing_database_url_is_named(override_settings: OverrideSettings) -> None:
    with pytest.raises(SettingsError, match="DATABASE_URL: Field required") as missing:
        override_settings(DATABASE_URL=None)
    assert "`source scripts/env.sh`" in str(missing.value)


def test_an_invalid_value_gets_no_environment_hint(override_settings: OverrideSettings) -> None:
    with pytest.raises(SettingsError) as invalid:
        override_settings(SECRET_KEY="short")
    assert "scripts/env.sh" not in str(invalid.value)


def test_short_secret_key_is_rejected(override_settings: OverrideSettings) -> None:
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        override_settings(SECRET_KEY="short")


def test_reset_links_must_outlive_the_per_address_reset_limit(
    override_settings: OverrideSettings,
) -> None:
    """Else a stranger asking for links could leave the owner none that works."""
    with pytest.raises(SettingsError, match="RATE_LIMIT_RESET_PER_EMAIL"):
        override_settings(RATE_LIMIT_RESET_PER_EMAIL="3/day", PASSWORD_RESET_TOKEN_MINUTES="60")


def test_database_url_uses_the_psycopg_driver(override_settings: OverrideSettings) -> None:
    settings = override_settings(DATABASE_URL="postgresql://u:p@127.0.0.1:5432/db")

    assert settings.sqlalchemy_url == "postgresql+psycopg://u:p@127.0.0.1:5432/db"


def committed_secret_keys() -> list[str]:
    """Every literal SECRET_KEY in the env files and examples the repository ships."""
    shipped = [
        path for path in (PROJECT_ROOT / "env").iterdir() if not path.name.endswith(".local.sh")
    ]
    return [
        match.group(1)
        for path in sorted(shipped)
        for match in re.finditer(r'^export SECRET_KEY="?([^"$\s]+)"?(\s|$)', path.read_text(), re.M)
    ]


@pytest.mark.parametrize("key", [*committed_secret_keys(), "a" * 32, "abcd" * 8, "password" * 4])
def test_production_refuses_committed_and_predictable_secret_keys(
    override_settings: OverrideSettings, key: str
) -> None:
    with pytest.raises(SettingsError, match=r"SECRET_KEY: .*just secret"):
        override_settings(ENVIRONMENT="production", SECRET_KEY=key)


@pytest.mark.processes  # `just secret`, as the docs tell people to make one
def test_production_accepts_a_generated_secret_key(override_settings: OverrideSettings) -> None:
    key = subprocess.run(
        ["just", "secret"], capture_output=True, text=True, check=True
    ).stdout.strip()

    settings = override_settings(ENVIRONMENT="production", SECRET_KEY=key)

    assert settings.secret_key.get_secret_value() == key


def test_development_keeps_its_committed_key(override_settings: OverrideSettings) -> None:
    settings = override_settings(ENVIRONMENT="development")

    assert settings.secret_key.get_secret_value() in committed_secret_keys()


def test_production_names_the_proxies_whose_forwarded_addresses_it_believes(
    override_settings: OverrideSettings,
) -> None:
    """uvicorn's default (trust 127.0.0.1) is wrong behind a proxy on another host (every client
    is the proxy) and behind none (a local process can claim any address): production says."""
    production = {"ENVIRONMENT": "production", "SECRET_KEY": secrets.token_urlsafe(32)}
    with pytest.raises(SettingsError, match="FORWARDED_ALLOW_IPS must be set in production"):
        override_settings(**production, FORWARDED_ALLOW_IPS=None)

    settings = override_settings(**production, FORWARDED_ALLOW_IPS="")
    assert settings.forwarded_allow_ips == ""


@pytest.mark.parametrize("value", ["10.0.0.0/8, fd00::/8,192.0.2.1", "*", ""])
def test_forwarded_allow_ips_takes_addresses_networks_or_a_star(
    override_settings: OverrideSettings, value: str
) -> None:
    assert override_settings(FORWARDED_ALLOW_IPS=value).forwarded_allow_ips == value


@pytest.mark.parametrize("value", ["10.0.0.0/33", "proxy.internal", "127.0.0.1;10.0.0.1"])
def test_a_mistyped_forwarded_allow_ips_entry_is_refused(
    override_settings: OverrideSettings, value: str
) -> None:
    """uvicorn would take it for a name that never matches, and trust nobody without a word."""
    with pytest.raises(SettingsError, match=r"FORWARDED_ALLOW_IPS: .*not an IP address"):
        override_settings(FORWARDED_ALLOW_IPS=value)


def test_a_reset_email_stranded_by_a_killed_worker_arrives_while_its_link_works(
    override_settings: OverrideSettings,
) -> None:
    """The job of a killed worker returns to the queue after the visibility timeout."""
    settings = override_settings()
    assert settings.jobs_visibility_timeout_seconds < settings.password_reset_token_minutes * 60

    with pytest.raises(SettingsError, match="JOBS_VISIBILITY_TIMEOUT_SECONDS must be shorter"):
        override_settings(JOBS_VISIBILITY_TIMEOUT_SECONDS="3600", PASSWORD_RESET_TOKEN_MINUTES="60")
