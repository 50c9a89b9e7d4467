"""What the OpenAPI document promises: every error shape typed, strict request bodies, exposure."""

from collections.abc import Callable

import pytest
from fastapi import FastAPI

from app.models.base import RequestModel
from app.server import create_app
from tests.support.clients import client_for

ERROR_STATUSES = ["400", "401", "403", "413", "422", "429", "500", "503"]


def test_every_api_operation_documents_each_error_with_the_error_shape() -> None:
    document = create_app().openapi()
    operations = [
        operation
        for path, item in document["paths"].items()
        if path.startswith("/api/")
        for operation in item.values()
    ]

    assert operations
    for operation in operations:
        for status in ERROR_STATUSES:
            schema = operation["responses"][status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (
                operation["operationId"],
                status,
            )


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
