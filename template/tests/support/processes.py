"""The in-process tier's rule, enforced: a test without a process marker starts no process."""

import sys
from typing import Any

import pytest

# A test that starts processes (servers, workers, Chromium, the fuzzer's server, commands) carries
# one of these; `just test_fast` runs the tests with none of them.
PROCESS_MARKERS = ("browser", "workers", "web_toolchain", "processes")

# Python's audit events for every way to start a program (asyncio's subprocesses use Popen).
PROCESS_START_EVENTS = frozenset(
    {"subprocess.Popen", "os.system", "os.posix_spawn", "os.spawn", "os.exec", "os.fork"}
    | {"os.forkpty"}
)


class ProcessStartRefusedError(Exception):
    """An in-process test started a process."""


class InProcessGuard:
    """An audit hook refusing process starts while an in-process test sets up or runs (its
    teardown may stop what session fixtures of other tests started)."""

    def __init__(self) -> None:
        self.test: str | None = None
        sys.addaudithook(self.audit)

    def guard(self, item: pytest.Item) -> None:
        in_process = not any(item.get_closest_marker(name) for name in PROCESS_MARKERS)
        self.test = item.nodeid if in_process else None

    def release(self) -> None:
        self.test = None

    def audit(self, event: str, arguments: tuple[Any, ...]) -> None:
        if self.test is not None and event in PROCESS_START_EVENTS:
            program = arguments[0] if arguments else ""  # not its arguments or environment
            raise ProcessStartRefusedError(
                f"{self.test} started a process ({event} {program!r}) but carries none of the "
                f"markers {', '.join(PROCESS_MARKERS)}: mark it (it then leaves `just test_fast`) "
                "or keep it in the pytest process"
            )
