"""Application settings, read from environment variables only and validated at start."""

import ipaddress
import math
from collections import Counter
from enum import StrEnum
from functools import lru_cache
from typing import Literal, Self
from urllib.parse import urlsplit

from limits import parse_many
from pydantic import (
    Field,
    PostgresDsn,
    RedisDsn,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


# Committed to the repository (env/dev.sh, env/test.sh, the production example): public knowledge.
PUBLIC_SECRET_KEYS = frozenset(
    {
        "dev-only-secret-key-not-for-production-use",
        "test-only-secret-key-not-for-production-use",
        "replace-with-at-least-32-random-characters",
    }
)
# `secrets.token_urlsafe(32)` scores about 200, "password" repeated 4 times 88, 32 x "a" 0.
MIN_SECRET_KEY_BITS = 96
KEY_GENERATION_HINT = (
    "generate one with `just secret` "
    "(or: python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
)


def estimated_entropy_bits(value: str) -> float:
    """The key's length times the Shannon entropy of its own characters: repetition scores low."""
    counts = Counter(value)
    return -sum(count * math.log2(count / len(value)) for count in counts.values())


class Settings(BaseSettings):
    """Every variable the backend reads; declared here and nowhere else."""

    model_config = SettingsConfigDict(case_sensitive=False, extra="ignore", frozen=True)

    environment: Environment = Environment.DEVELOPMENT
    project_name: str = "app"
    database_url: PostgresDsn
    redis_url: RedisDsn
    secret_key: SecretStr = Field(min_length=32)

    database_pool_size: int = Field(default=10, ge=1)
    database_max_overflow: int = Field(default=10, ge=0)
    database_statement_timeout_ms: int = Field(default=15_000, ge=0)
    # Migrations (alembic, the deploy's migration Job): give up on a lock the old release's queries
    # hold rather than queue every request behind it, and bound a statement (0: no bound).
    migration_lock_timeout_ms: int = Field(default=5_000, ge=0)
    migration_statement_timeout_ms: int = Field(default=600_000, ge=0)
    # An unreachable dependency answers 503 within these bounds instead of holding a request.
    database_connect_timeout_seconds: int = Field(default=3, ge=2)  # libpq's minimum is 2
    database_pool_timeout_seconds: float = Field(default=5, gt=0)
    redis_timeout_seconds: float = Field(default=3, gt=0)
    readiness_timeout_seconds: float = Field(default=0.8, gt=0)

    # The proxies whose X-Forwarded-For and X-Forwarded-Proto the server believes (uvicorn reads
    # this variable itself): comma-separated addresses or networks, "*" for any peer, "" for none.
    # The client address every per-address limit counts comes from here; production names it.
    forwarded_allow_ips: str = "127.0.0.1,::1"
    # Host headers production answers (any other gets 400): PUBLIC_URL's host and these.
    allowed_hosts: list[str] = Field(default_factory=list)
    cors_origins: list[str] = Field(default_factory=list)
    # Larger request bodies get a 413 (Content-Length or not); 1 MiB by default.
    request_max_body_bytes: int = Field(default=1_048_576, ge=0)
    # /api/openapi.json and /api/docs: served unless production, where they are opt-in.
    api_docs: bool | None = None
    log_level: str = "INFO"
    web_dist_dir: str = "web/build/client"

    # Background jobs (Celery on REDIS_URL): limits, retries and redelivery of unacknowledged work.
    jobs_soft_time_limit_seconds: int = Field(default=300, ge=1)
    jobs_time_limit_seconds: int = Field(default=330, ge=1)
    jobs_max_retries: int = Field(default=8, ge=0)
    jobs_retry_backoff_max_seconds: int = Field(default=600, ge=1)
    # A job whose worker was killed (SIGKILL, a lost node) waits this long before another worker
    # takes it: above the longest task and retry delay, below the shortest emailed link's life.
    jobs_visibility_timeout_seconds: int = Field(default=900, ge=1)
    items_done_retention_days: int = Field(default=30, ge=1)
    # Periodic jobs moved from the times app/jobs/schedule.py gives them: entry name → crontab
    # "minute hour day-of-month month day-of-week" (UTC), as JSON in the environment, e.g.
    # JOBS_SCHEDULE='{"purge-done-items-nightly": "15 1 * * *"}'.
    jobs_schedule: dict[str, str] = Field(default_factory=dict)
    # The job monitor (Flower, `just jobs_monitor`); production requires "user:password".
    jobs_monitor_host: str = "127.0.0.1"
    jobs_monitor_port: int = Field(default=5555, ge=1, le=65535)
    jobs_monitor_basic_auth: SecretStr = SecretStr("")

    # Error tracking (Sentry): off while SENTRY_DSN is empty. RELEASE is the git commit the image
    # was built from (Dockerfile build argument); empty: SENTRY_RELEASE, else the git HEAD.
    sentry_dsn: str = ""
    sentry_traces_sample_rate: float = Field(default=0.0, ge=0, le=1)
    release: str = ""
    # Product analytics (PostHog, in the web app when the copier answer wires it in): off while
    # POSTHOG_KEY (the project's public key, phc_…) is empty. Log-in identifies the user by id
    # only; POSTHOG_IDENTIFY_WITH_EMAIL opts in to sending the email address as well.
    posthog_key: str = ""
    posthog_host: str = "https://us.i.posthog.com"
    posthog_identify_with_email: bool = False

    # Mail: SMTP (Mailpit or the native sink in development), or files in a directory for tests.
    mail_backend: Literal["smtp", "capture"] = "smtp"
    mail_from: str = "noreply@localhost"
    mail_capture_dir: str = "tmp/mail"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=1025, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = Field(default=10, gt=0)

    # Accounts (app/accounts): where emailed links point, session lifetimes, password policy and
    # rate limits (`limits` notation, several joined by ";": "10/minute;100/hour").
    public_url: str = "http://127.0.0.1:8000"
    session_idle_timeout_minutes: int = Field(default=7 * 24 * 60, ge=1)
    session_max_age_days: int = Field(default=30, ge=1)
    session_renewal_interval_seconds: int = Field(default=300, ge=1)
    email_verification_token_hours: int = Field(default=48, ge=1)
    password_reset_token_minutes: int = Field(default=60, ge=1)
    email_change_undo_days: int = Field(default=7, ge=1)
    password_min_length: int = Field(default=15, ge=8, le=64)
    # Log-in limits (app/accounts/password_guesses.py): per address, per (account, address), per
    # account (what strangers can use up: the owner's known browsers skip it) and per known browser.
    rate_limit_login_per_ip: str = "60/15 minutes"
    rate_limit_login_per_account_and_ip: str = "10/15 minutes"
    rate_limit_login_per_account: str = "30/hour;100/day"
    rate_limit_login_per_known_device: str = "10/15 minutes"
    known_device_days: int = Field(default=180, ge=1)
    rate_limit_signup_per_ip: str = "10/hour"
    rate_limit_reset_per_ip: str = "10/hour"
    rate_limit_reset_per_email: str = "3/hour"
    rate_limit_email_verification_per_user: str = "3/hour"

    # Admin console (app/admin) and audit trail (app/audit): how long a "log in as" may last, and
    # how long audit events are kept before the nightly purge deletes them.
    impersonation_max_minutes: int = Field(default=60, ge=1)
    audit_retention_days: int = Field(default=365, ge=1)

    @field_validator("secret_key")
    @classmethod
    def production_secret_key_is_strong(cls, key: SecretStr, info: ValidationInfo) -> SecretStr:
        """Production refuses the committed keys and predictable ones (checked after the length)."""
        if info.data.get("environment") is not Environment.PRODUCTION:
            return key
        value = key.get_secret_value()
        if value in PUBLIC_SECRET_KEYS:
            raise ValueError(f"is committed to the repository, not secret; {KEY_GENERATION_HINT}")
        if estimated_entropy_bits(value) < MIN_SECRET_KEY_BITS:
            raise ValueError(f"is too predictable for production; {KEY_GENERATION_HINT}")
        return key

    @field_validator("forwarded_allow_ips")
    @classmethod
    def forwarded_allow_ips_are_addresses(cls, value: str) -> str:
        """uvicorn takes a mistyped entry for a name that never matches: refuse it here instead."""
        entries = [entry.strip() for entry in value.split(",") if entry.strip()]
        if entries == ["*"]:
            return value
        for entry in entries:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an IP address or network; list the proxies' addresses "
                    'separated by commas, "*" for any, or nothing for none'
                ) from None
        return value

    @model_validator(mode="after")
    def production_names_its_proxies(self) -> Self:
        if self.is_production and "forwarded_allow_ips" not in self.model_fields_set:
            raise ValueError(
                "FORWARDED_ALLOW_IPS must be set in production: the addresses (or networks) of the "
                "proxy in front of the server, whose X-Forwarded-For names the client, or empty "
                "when clients connect directly (docs/deploy.md)"
            )
        return self

    @model_validator(mode="after")
    def stranded_mail_arrives_in_time(self) -> Self:
        if self.jobs_visibility_timeout_seconds >= self.password_reset_token_minutes * 60:
            raise ValueError(
                "JOBS_VISIBILITY_TIMEOUT_SECONDS must be shorter than "
                "PASSWORD_RESET_TOKEN_MINUTES: a reset email stranded by a killed worker waits "
                "that long, and would arrive with a link that no longer works"
            )
        return self

    @model_validator(mode="after")
    def hard_time_limit_follows_soft(self) -> Self:
        if self.jobs_time_limit_seconds <= self.jobs_soft_time_limit_seconds:
            raise ValueError(
                "JOBS_TIME_LIMIT_SECONDS must exceed JOBS_SOFT_TIME_LIMIT_SECONDS, "
                "so a task can clean up before it is killed"
            )
        return self

    @model_validator(mode="after")
    def reset_links_outlive_the_reset_limit(self) -> Self:
        """While the per-address limit refuses new reset links, the last one sent still works,
        so strangers who use the limit up do not lock the owner out of resetting."""
        window = max(item.get_expiry() for item in parse_many(self.rate_limit_reset_per_email))
        if window > self.password_reset_token_minutes * 60:
            raise ValueError(
                "RATE_LIMIT_RESET_PER_EMAIL's longest window must not exceed "
                "PASSWORD_RESET_TOKEN_MINUTES, so the owner's newest reset link works while "
                "new ones are refused"
            )
        return self

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def serves_api_docs(self) -> bool:
        return self.api_docs if self.api_docs is not None else not self.is_production

    @property
    def answered_hosts(self) -> frozenset[str] | None:
        """The Host names production answers (PUBLIC_URL's and ALLOWED_HOSTS); None: any."""
        if not self.is_production:
            return None
        public_host = urlsplit(self.public_url).hostname or ""
        return frozenset({public_host, *(host.lower() for host in self.allowed_hosts)})

    @property
    def session_cookie_name(self) -> str:
        """`__Host-` makes browsers insist on Secure, Path=/ and no Domain (not on plain http)."""
        return "__Host-session" if self.is_production else "session"

    @property
    def device_cookie_name(self) -> str:
        """The known-device cookie (app/accounts/password_guesses.py), named like the session's."""
        return "__Host-device" if self.is_production else "device"

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL with the psycopg 3 driver, which serves both sync and async code."""
        return str(self.database_url).replace("postgresql://", "postgresql+psycopg://", 1)


class SettingsError(RuntimeError):
    """Raised at start when the environment does not describe a valid configuration."""


# Missing variables mostly mean a command started outside the project's environment (a plain
# shell running `uv run app …` or `uv run alembic …`): say where the values come from.
MISSING_ENVIRONMENT_HINT = (
    "Locally they come from env/: every just recipe loads them (scripts/env.sh); in a shell of your"
    " own, run `direnv allow` or `source scripts/env.sh` first."
)


def _describe(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        name = ".".join(str(part) for part in problem["loc"]).upper()
        lines.append(f"  {name}: {problem['msg']}")
    if any(problem["type"] == "missing" for problem in error.errors()):
        lines.append(MISSING_ENVIRONMENT_HINT)
    return "Invalid or missing environment variables:\n" + "\n".join(lines)


@lru_cache
def get_settings() -> Settings:
    """Load settings once; a bad environment stops the process, naming the variable."""
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError(_describe(error)) from None
