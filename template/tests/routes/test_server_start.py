"""The production server command (`scripts/run.sh web`) with an app that cannot start exits
non-zero with the reason, however many workers it runs, so an orchestrator or systemd sees it."""

import os
import signal
import subprocess

import pytest

from tests.support.servers import PROJECT_ROOT, free_port

pytestmark = pytest.mark.processes

# Far more than a failing start takes; uvicorn's parent, left alone, respawns workers forever.
GIVE_UP_AFTER_SECONDS = 60


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_server_whose_app_cannot_start_exits_with_the_reason(workers: str) -> None:
    environment = {
        **os.environ,
        "WEB_CONCURRENCY": workers,
        "PORT": str(free_port()),
        "DATABASE_URL": "not-a-database-url",
    }
    server = subprocess.Popen(
        ["scripts/run.sh", "web"],
        cwd=PROJECT_ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its workers too are stopped below, should it hang
    )
    try:
        output, _ = server.communicate(timeout=GIVE_UP_AFTER_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        output, _ = server.communicate()
        pytest.fail(f"still running after {GIVE_UP_AFTER_SECONDS} s:\n{output[-3000:]}")

    assert server.returncode != 0
    assert "DATABASE_URL: Input should be a valid URL" in output
