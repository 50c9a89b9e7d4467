"""What the web app reads at start (GET /api/client-config), public by design."""

import httpx
import pytest

from tests.support.settings import OverrideSettings

# The release, without RELEASE or SENTRY_RELEASE set, is `git rev-parse HEAD` (once per process).
pytestmark = pytest.mark.processes


async def test_client_config_tells_the_forms_the_password_minimum(
    client: httpx.AsyncClient, override_settings: OverrideSettings
) -> None:
    override_settings(PASSWORD_MIN_LENGTH="20")

    response = await client.get("/api/client-config")

    assert response.status_code == 200
    assert response.json()["password_min_length"] == 20
