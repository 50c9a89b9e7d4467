"""With Postgres or Redis stopped or frozen for real, the API answers 503 with Retry-After in the
error shape, bounded by the connect and pool timeouts, and `/readyz` says which one is down.

The dependencies are throwaway servers on their own ports (the rest of the suite keeps its own),
shared by this module's tests; the API is the production server command, one on the throwaway
Postgres and one on the throwaway Redis, each shared by the tests of that outage (a start costs
seconds). Each test brings its service up, and its fault is undone after it: a frozen service is
thawed, a stopped one is started by the next test. No assertion is timed: a hang shows as the
client's timeout, far above the configured bounds.
"""

import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from app.jobs.db import worker_session
from app.settings import get_settings
from tests.factories import ItemFactory, UserFactory
from tests.support.accounts import committed_login
from tests.support.clients import SAME_ORIGIN
from tests.support.database import truncate_tables
from tests.support.servers import ApiServer
from tests.support.services import ThrowawayServices

# Throwaway Postgres and Redis servers, and production servers on them.
pytestmark = pytest.mark.processes

# The bounds the server is given (seconds), and a client patience well above them.
CONNECT_TIMEOUT = "2"
REDIS_TIMEOUT = "1"
CLIENT_TIMEOUT = 30

Fault = Callable[[ThrowawayServices, str], None]


def stop(services: ThrowawayServices, service: str) -> None:
    """As `just down` does: the server exits, its port refuses connections."""
    services.run("down", service)


def freeze(services: ThrowawayServices, service: str) -> None:
    """SIGSTOP: the port still accepts connections, but nothing ever answers (a hung host)."""
    services.signal(service, signal.SIGSTOP)


FAULTS = pytest.mark.parametrize("fault", [stop, freeze], ids=["stopped", "frozen"])


@pytest.fixture(scope="module")
def module_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThrowawayServices]:
    """Postgres and Redis of this module's own, created once (an initdb costs seconds)."""
    services = ThrowawayServices(tmp_path_factory.mktemp("services"))
    yield services
    services.destroy()


@pytest.fixture(autouse=True)
def thaw_after(module_services: ThrowawayServices) -> Iterator[None]:
    """A frozen service runs again after the test (it would also hold up the servers' shutdown)."""
    yield
    module_services.thaw()


def start_server(log_path: Path, **environment: str) -> Iterator[ApiServer]:
    """The production server with this module's bounds, for a module fixture to yield."""
    server = ApiServer(
        log_path,
        DATABASE_CONNECT_TIMEOUT_SECONDS=CONNECT_TIMEOUT,
        DATABASE_POOL_TIMEOUT_SECONDS=CONNECT_TIMEOUT,
        REDIS_TIMEOUT_SECONDS=REDIS_TIMEOUT,
        **environment,
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def database_outage_server(
    module_services: ThrowawayServices, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiServer]:
    """A server on the throwaway Postgres (and the suite's Redis)."""
    log_path = tmp_path_factory.mktemp("database-outage") / "server.log"
    yield from start_server(log_path, DATABASE_URL=module_services.database_url)


@pytest.fixture(scope="module")
def broker_outage_server(
    module_services: ThrowawayServices, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiServer]:
    """A server on the throwaway Redis (and the suite's Postgres)."""
    log_path = tmp_path_factory.mktemp("broker-outage") / "server.log"
    yield from start_server(log_path, REDIS_URL=module_services.redis_url)


def wait_until_ready(client: httpx.Client) -> None:
    """A fresh server's first connections may miss the readiness bound; it is ready once warm."""
    for _ in range(20):
        response = client.get("/readyz")
        if response.status_code == 200:
            return
    pytest.fail(f"the server never became ready: {response.text}")


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["retry-after"]) > 0
    body = response.json()
    assert body["code"] == "service_unavailable"
    assert body["request_id"] == response.headers["x-request-id"]


def test_a_stopped_database_is_a_503_not_a_hang(
    module_services: ThrowawayServices, database_outage_server: ApiServer
) -> None:
    module_services.run("up", "postgres")
    # Any session cookie: checking it is the request's first query, which finds Postgres down.
    login = {get_settings().session_cookie_name: "a-session-token"}
    with httpx.Client(
        base_url=database_outage_server.base_url,
        timeout=CLIENT_TIMEOUT,
        cookies=login,
        headers=SAME_ORIGIN,
    ) as client:
        wait_until_ready(client)

        stop(module_services, "postgres")
        ready = client.get("/readyz")
        listing = client.get("/api/items")
        creation = client.post("/api/items", json={"title": "lost?"})

    assert ready.status_code == 503
    assert ready.json()["checks"]["database"].startswith("error: ")
    assert ready.json()["checks"]["broker"] == "ok"
    assert_unavailable(listing)
    assert_unavailable(creation)


def test_readyz_reports_a_hung_database_within_its_bound(
    module_services: ThrowawayServices, database_outage_server: ApiServer
) -> None:
    """A database that accepts connections but never answers (see README: what a hang holds)."""
    module_services.run("up", "postgres")
    with httpx.Client(base_url=database_outage_server.base_url, timeout=CLIENT_TIMEOUT) as client:
        wait_until_ready(client)

        freeze(module_services, "postgres")
        ready = client.get("/readyz")

    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] == "error: no answer within 0.8 s"
    assert ready.json()["checks"]["broker"] == "ok"


@pytest.fixture
def committed_item(migrated_database: None) -> Iterator[tuple[str, dict[str, str]]]:
    """An item and its owner's session cookie, committed for real (the server is another
    process); the tables are emptied after."""
    owner = UserFactory.build()
    with worker_session() as session:
        session.add(owner)
        session.commit()
        item = ItemFactory.build(owner_id=owner.id)
        session.add(item)
        session.commit()
    yield str(item.id), committed_login(owner.id)
    truncate_tables()


@FAULTS
def test_a_broker_outage_is_a_503_not_a_hang(
    module_services: ThrowawayServices,
    broker_outage_server: ApiServer,
    committed_item: tuple[str, dict[str, str]],
    fault: Fault,
) -> None:
    item_id, login = committed_item
    module_services.run("up", "redis")
    with httpx.Client(
        base_url=broker_outage_server.base_url,
        timeout=CLIENT_TIMEOUT,
        cookies=login,
        headers=SAME_ORIGIN,
    ) as client:
        wait_until_ready(client)
        assert client.post(f"/api/items/{item_id}/reminders").is_success

        fault(module_services, "redis")
        ready = client.get("/readyz")
        queued = client.post(f"/api/items/{item_id}/reminders")

    assert ready.status_code == 503
    assert ready.json()["checks"]["broker"].startswith("error: ")
    assert ready.json()["checks"]["database"] == "ok"
    assert_unavailable(queued)
