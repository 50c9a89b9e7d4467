"""What the web app reads at start (GET /api/client-config), public by design."""

import httpx

from tests.support.settings import OverrideSettings


async def test_client_config_tells_the_forms_the_password_minimum(
    client: httpx.AsyncClient, override_settings: OverrideSettings
) -> None:
    override_settings(PASSWORD_MIN_LENGTH="20")

    response = await client.get("/api/client-config")

    assert response.status_code == 200
    assert response.json()["password_min_length"] == 20
