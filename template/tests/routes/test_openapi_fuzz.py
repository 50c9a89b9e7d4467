"""Every API operation fuzzed from its OpenAPI document (schemathesis): no 5xx, no answer that
contradicts the document.

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
from schemathesis.specs.openapi.checks import response_schema_conformance

from app.server import create_app
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
        base_url=api_server, checks=[not_a_server_error, response_schema_conformance], timeout=10
    )
