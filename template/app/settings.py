"""Application settings, read from environment variables only and validated at start."""

from enum import StrEnum
from functools import lru_cache

from pydantic import Field, PostgresDsn, RedisDsn, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


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

    cors_origins: list[str] = Field(default_factory=list)
    log_level: str = "INFO"
    web_dist_dir: str = "web/build/client"

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL with the psycopg 3 driver, which serves both sync and async code."""
        return str(self.database_url).replace("postgresql://", "postgresql+psycopg://", 1)


class SettingsError(RuntimeError):
    """Raised at start when the environment does not describe a valid configuration."""


def _describe(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        name = ".".join(str(part) for part in problem["loc"]).upper()
        lines.append(f"  {name}: {problem['msg']}")
    return "Invalid or missing environment variables:\n" + "\n".join(lines)


@lru_cache
def get_settings() -> Settings:
    """Load settings once; a bad environment stops the process, naming the variable."""
    try:
        return Settings()  # type: ignore[call-arg]  # values come from the environment
    except ValidationError as error:
        raise SettingsError(_describe(error)) from None
