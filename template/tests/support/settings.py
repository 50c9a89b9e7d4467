"""Settings in tests: changed through the environment, and a parallel worker's own resources."""

import os
from collections.abc import Callable

from app.settings import Settings, get_settings

# `override_settings(NAME="value", OTHER=None)` (tests/conftest.py): sets or unsets variables and
# returns the settings read afresh.
OverrideSettings = Callable[..., Settings]

# Redis databases (env/test.sh): 0 development, 1 the backend suite in one process, 2 the browser
# suite; from 3 on, one per parallel worker (`just backend_test` starts at most 8; Redis has 16).
FIRST_WORKER_REDIS_DATABASE = 3


def use_resources_of_worker(worker: str) -> None:
    """A parallel worker's own database, Redis database and mail directory, so that one worker's
    commits, queued jobs, rate limits and captured mail never reach another's tests."""
    number = int(worker.removeprefix("gw"))
    os.environ["DATABASE_URL"] += f"_{worker}"
    redis_server = os.environ["REDIS_URL"].rsplit("/", 1)[0]
    os.environ["REDIS_URL"] = f"{redis_server}/{FIRST_WORKER_REDIS_DATABASE + number}"
    os.environ["MAIL_CAPTURE_DIR"] += f"/{worker}"
    get_settings.cache_clear()
