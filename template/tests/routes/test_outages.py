"""With Postgres or Redis stopped or frozen for real, the API answers 503 with Retry-After in the
error shape, bounded by the connect and pool timeouts, and `/readyz` says which one is down.

The dependencies are throwaway servers on their own ports (the rest of the suite keeps its own);
the API is the production server command. No assertion is timed: a hang shows as the client's
timeout, far above the configured bounds.
"""

import contextlib
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from tests.factories import ItemFactory
from tests.utils import ApiServer, ThrowawayServices, truncate_tables

# The bounds the server is given (seconds), and a client patience well above them.
CONNECT_TIMEOUT = "2"
REDIS_TIMEOUT = "2"
CLIENT_TIMEOUT = 30

Fault = Callable[[ThrowawayServices, str], None]


def stop(services: ThrowawayServices, service: str) -> None:
    """As `just down` does: the server exits, its port refuses connections."""
    services.run("down", service)


def signal_server(services: ThrowawayServices, service: str, signal_number: int) -> None:
    """The main process and every child (Postgres backends each run in a session of their own)."""
    main = psutil.Process(services.pid(service))
    for process in [main, *main.children(recursive=True)]:
        process.send_signal(signal_number)


def freeze(services: ThrowawayServices, service: str) -> None:
    """SIGSTOP: the port still accepts connections, but nothing ever answers (a hung host)."""
    signal_server(services, service, signal.SIGSTOP)


def thaw(services: ThrowawayServices, service: str) -> None:
    with contextlib.suppress(FileNotFoundError, psutil.NoSuchProcess):  # stopped, not frozen
        signal_server(services, service, signal.SIGCONT)


FAULTS = pytest.mark.parametrize("fault", [stop, freeze], ids=["stopped", "frozen"])


@pytest.fixture
def throwaway_services(tmp_path: Path) -> Iterator[ThrowawayServices]:
    services = ThrowawayServices(tmp_path / "services")
    yield services
    for service in ("postgres", "redis"):
        thaw(services, service)
    services.destroy()


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., ApiServer]]:
    servers: list[ApiServer] = []

    def start(**environment: str) -> ApiServer:
        server = ApiServer(
            tmp_path / f"server-{len(servers)}.log",
            DATABASE_CONNECT_TIMEOUT_SECONDS=CONNECT_TIMEOUT,
            DATABASE_POOL_TIMEOUT_SECONDS=CONNECT_TIMEOUT,
            REDIS_TIMEOUT_SECONDS=REDIS_TIMEOUT,
            **environment,
        )
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()


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
    throwaway_services: ThrowawayServices, start_server: Callable[..., ApiServer]
):
    throwaway_services.run("up", "postgres")
    server = start_server(DATABASE_URL=throwaway_services.database_url)
    with httpx.Client(base_url=server.base_url, timeout=CLIENT_TIMEOUT) as client:
        wait_until_ready(client)

        stop(throwaway_services, "postgres")
        ready = client.get("/readyz")
        listing = client.get("/api/items")
        creation = client.post("/api/items", json={"title": "lost?"})

    assert ready.status_code == 503
    assert ready.json()["checks"]["database"].startswith("error: ")
    assert ready.json()["checks"]["broker"] == "ok"
    assert_unavailable(listing)
    assert_unavailable(creation)


def test_readyz_reports_a_hung_database_within_its_bound(
    throwaway_services: ThrowawayServices, start_server: Callable[..., ApiServer]
):
    """A database that accepts connections but never answers (see README: what a hang holds)."""
    throwaway_services.run("up", "postgres")
    server = start_server(DATABASE_URL=throwaway_services.database_url)
    with httpx.Client(base_url=server.base_url, timeout=CLIENT_TIMEOUT) as client:
        wait_until_ready(client)

        freeze(throwaway_services, "postgres")
        ready = client.get("/readyz")

    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] == "error: no answer within 0.8 s"
    assert ready.json()["checks"]["broker"] == "ok"


@pytest.fixture
def committed_item(migrated_database: None) -> Iterator[str]:
    """An item committed for real (the server is another process); the tables are emptied after."""
    from app.jobs.db import worker_session

    item = ItemFactory.build()
    with worker_session() as session:
        session.add(item)
        session.commit()
    yield str(item.id)
    truncate_tables()


@FAULTS
def test_a_broker_outage_is_a_503_not_a_hang(
    throwaway_services: ThrowawayServices,
    start_server: Callable[..., ApiServer],
    committed_item: str,
    fault: Fault,
):
    throwaway_services.run("up", "redis")
    server = start_server(REDIS_URL=throwaway_services.redis_url)
    reminder = {"email": "someone@example.com"}
    with httpx.Client(base_url=server.base_url, timeout=CLIENT_TIMEOUT) as client:
        wait_until_ready(client)
        assert client.post(f"/api/items/{committed_item}/reminders", json=reminder).is_success

        fault(throwaway_services, "redis")
        ready = client.get("/readyz")
        queued = client.post(f"/api/items/{committed_item}/reminders", json=reminder)

    assert ready.status_code == 503
    assert ready.json()["checks"]["broker"].startswith("error: ")
    assert ready.json()["checks"]["database"] == "ok"
    assert_unavailable(queued)
