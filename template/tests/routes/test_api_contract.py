"""What the OpenAPI document promises: every error shape typed, strict request bodies, exposure."""

from collections.abc import Callable

import pytest
from fastapi import FastAPI

from app.models.base import RequestModel
from app.server import create_app
from tests.support.clients import client_for


def test_every_error_an_operation_lists_has_the_error_shape() -> None:
    document = create_app().openapi()
    errors = [
        (operation["operationId"], status, response)
        for item in document["paths"].values()
        for operation in item.values()
        for status, response in operation["responses"].items()
        if int(status) >= 400 and operation["operationId"] != "health-readyz"  # its 503: Health
    ]

    assert errors
    for operation_id, status, response in errors:
        schema = response["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (operation_id, status)


@pytest.mark.parametrize(
    ("path", "method", "statuses"),
    [
        ("/livez", "get", {"500"}),
        ("/api/client-config", "get", {"500"}),
        ("/api/items", "get", {"401", "422", "500", "503"}),
        ("/api/items", "post", {"400", "401", "403", "413", "422", "500", "503"}),
        ("/api/items/{item_id}", "delete", {"401", "403", "404", "422", "500", "503"}),
        ("/api/auth/logout", "post", {"403", "500", "503"}),
    ],
)
def test_an_operation_lists_only_the_errors_it_can_answer(
    path: str, method: str, statuses: set[str]
) -> None:
    """A contract check (schemathesis' status code conformance) can fail only if the document
    does not promise every error everywhere."""
    responses = create_app().openapi()["paths"][path][method]["responses"]

    assert {status for status in responses if int(status) >= 400} == statuses


def _subclass_names(model: type) -> set[str]:
    children: list[type] = model.__subclasses__()
    return {child.__name__ for child in children}.union(*map(_subclass_names, children))


def test_every_request_body_is_a_strict_request_model() -> None:
    document = create_app().openapi()
    bodies = {
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        for item in document["paths"].values()
        for operation in item.values()
        if "requestBody" in operation
    }

    assert bodies
    assert bodies <= _subclass_names(RequestModel)


@pytest.mark.parametrize("path", ["/api/openapi.json", "/api/docs"])
async def test_api_docs_are_served_outside_production(
    app_with: Callable[..., FastAPI], path: str
) -> None:
    async with client_for(app_with(ENVIRONMENT="development")) as client:
        response = await client.get(path)

    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/api/openapi.json", "/api/docs"])
async def test_api_docs_are_off_in_production_by_default(
    app_with: Callable[..., FastAPI], path: str
) -> None:
    async with client_for(app_with(ENVIRONMENT="production")) as client:
        response = await client.get(path)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


async def test_api_docs_can_be_opened_in_production(app_with: Callable[..., FastAPI]) -> None:
    app = app_with(ENVIRONMENT="production", API_DOCS="true")
    async with client_for(app) as client:
        response = await client.get("/api/openapi.json")

    assert response.status_code == 200
    assert response.json()["info"]["title"]
