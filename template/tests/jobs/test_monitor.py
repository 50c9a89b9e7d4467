"""The job monitor: `just jobs_monitor` (scripts/run.sh monitor) runs Flower, which sees workers."""

import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.jobs.monitor import MonitorConfigError, flower_arguments
from app.settings import Settings
from tests.support.servers import ServedCommand
from tests.support.workers import CeleryWorker

pytestmark = pytest.mark.workers

CREDENTIALS = ("monitor", "monitor-test-password")


def settings(**fields: object) -> Settings:
    return Settings.model_validate(
        {
            "database_url": "postgresql://u:p@127.0.0.1:5432/db",
            "redis_url": "redis://127.0.0.1:6379/0",
            "secret_key": secrets.token_urlsafe(32),
            **fields,
        }
    )


def test_monitor_refuses_to_run_without_a_password_in_production() -> None:
    with pytest.raises(MonitorConfigError, match="JOBS_MONITOR_BASIC_AUTH"):
        flower_arguments(settings(environment="production"))


def test_monitor_binds_to_loopback_by_default() -> None:
    arguments = flower_arguments(settings(jobs_monitor_port=5599))

    assert "--address=127.0.0.1" in arguments
    assert "--port=5599" in arguments


@pytest.fixture
def monitor(tmp_path: Path) -> Iterator[str]:
    """The command of `just jobs_monitor` on a free port, with a password, until the test ends."""
    monitor = ServedCommand(
        ["scripts/run.sh", "monitor"],
        tmp_path / "monitor.log",
        ready_path="/healthcheck",
        port_variable="JOBS_MONITOR_PORT",
        environment={"JOBS_MONITOR_BASIC_AUTH": ":".join(CREDENTIALS)},
    )
    with monitor:
        yield monitor.base_url


def test_monitor_lists_a_running_worker_to_authenticated_users(
    worker: CeleryWorker, monitor: str
) -> None:
    assert httpx.get(f"{monitor}/api/workers").status_code == 401

    deadline = time.monotonic() + 60
    listed: dict[str, object] = {}
    while worker.hostname not in listed:
        assert time.monotonic() < deadline, f"the monitor never listed {worker.hostname}"
        response = httpx.get(f"{monitor}/api/workers", params={"refresh": 1}, auth=CREDENTIALS)
        assert response.status_code == 200
        listed = response.json()
        time.sleep(0.5)
