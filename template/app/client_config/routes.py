"""What the web app needs at start: where to send errors and analytics, its release, and the
password policy its forms explain."""

from pydantic import BaseModel

from app.observability import current_release
from app.routes import API_PREFIX, PublicRouter
from app.settings import get_settings

# Public: the web app reads it before anyone logs in.
client_config_router = PublicRouter(prefix=f"{API_PREFIX}/client-config", tags=["client-config"])


class ClientConfig(BaseModel):
    """Public values only: everything here is readable by anyone who loads the page."""

    environment: str
    release: str | None
    sentry_dsn: str | None
    sentry_traces_sample_rate: float
    posthog_key: str | None
    posthog_host: str
    posthog_identify_with_email: bool
    password_min_length: int


@client_config_router.get("", response_model=ClientConfig)
async def get_client_config() -> ClientConfig:
    settings = get_settings()
    return ClientConfig(
        environment=settings.environment.value,
        release=current_release(settings.release),
        sentry_dsn=settings.sentry_dsn or None,
        sentry_traces_sample_rate=settings.sentry_traces_sample_rate,
        posthog_key=settings.posthog_key or None,
        posthog_host=settings.posthog_host,
        posthog_identify_with_email=settings.posthog_identify_with_email,
        password_min_length=settings.password_min_length,
    )
