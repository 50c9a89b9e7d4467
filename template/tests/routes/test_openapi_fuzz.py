"""Every API operation fuzzed from its OpenAPI document (schemathesis): no 5xx, no answer that
contradicts the document (its shape or its status: each operation lists the errors it answers),
and the items' operations chained by their links.

It drives the production server command (`scripts/run.sh web`) over HTTP rather than the app
in-process: that is the server people deploy, and schemathesis' synchronous ASGI client would run
the app on its own event loop, away from the test's rolled-back session. The server commits for
real, so the tables are emptied afterwards.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.schemas import OpenApiSchema

from app.jobs.db import worker_session
from app.server import create_app
from tests.factories import UserFactory
from tests.support.accounts import committed_login
from tests.support.clients import SAME_ORIGIN
from tests.support.database import truncate_tables
from tests.support.servers import ApiServer

# The fuzzer's target: the production server command, as a process.
pytestmark = pytest.mark.processes

# Enough to find the inputs that used to fail (a NUL in text, an offset beyond bigint) in every
# run, few enough to keep `just test` fast. The examples are the same in every run.
EXAMPLES_PER_OPERATION = 25


@pytest.fixture(scope="module")
def api_server(migrated_database: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = ApiServer(tmp_path_factory.mktemp("fuzz") / "server.log")
    server.start()
    try:
        yield server.base_url
    finally:
        server.stop()
        truncate_tables()


# The document the server serves, built by the same code (one test per operation, by name);
# the API's operations only: the probes take no input, and /readyz's 503 is its contract.
schema = schemathesis.openapi.from_dict(create_app().openapi()).include(path_regex="^/api/")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_answers_within_its_contract(
    case: schemathesis.Case[Any], api_server: str
) -> None:
    case.call_and_validate(
        base_url=api_server,
        checks=[not_a_server_error, response_schema_conformance, status_code_conformance],
        timeout=10,
    )


# Stateful: schemathesis chains the items' operations by the links it infers from the document
# (the `id` a create answers is the `item_id` of a read, an update, a delete), as a signed-in user,
# with valid input only: its invalid variants drop the session cookie the calls carry anyway, and
# what the fuzz test above covers, every check of schemathesis' covers here.
ITEMS_WORKFLOW_SCENARIOS = 8


def items_schema() -> OpenApiSchema:
    document = create_app().openapi()
    items_paths = {
        path: item for path, item in document["paths"].items() if path.startswith("/api/items")
    }
    items = schemathesis.openapi.from_dict({**document, "paths": items_paths})
    # Valid input only, and no NUL in text (Postgres stores none; the fuzz test above sends it).
    items.config.generation.update(modes=[GenerationMode.POSITIVE], allow_x00=False)
    return items


def test_chained_item_operations_keep_the_contract(api_server: str) -> None:
    with worker_session() as session:
        owner = UserFactory.build()
        session.add(owner)
        session.commit()
    [(cookie_name, token)] = committed_login(owner.id).items()
    headers = {**SAME_ORIGIN, "Cookie": f"{cookie_name}={token}"}

    class ItemsWorkflow(items_schema().as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: schemathesis.Case[Any]) -> dict[str, Any]:
            return {"base_url": api_server, "headers": headers, "timeout": 10}

    ItemsWorkflow.run(
        settings=settings(
            max_examples=ITEMS_WORKFLOW_SCENARIOS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
