"""The in-process tier keeps its rule: a test without a process marker cannot start a process."""

import asyncio
import subprocess

import pytest

from tests.support.processes import ProcessStartRefusedError


def test_an_unmarked_test_cannot_start_a_process() -> None:
    with pytest.raises(
        ProcessStartRefusedError, match="test_an_unmarked_test_cannot_start_a_process"
    ):
        subprocess.run(["true"], check=False)


async def test_an_unmarked_test_cannot_start_an_asyncio_subprocess() -> None:
    with pytest.raises(ProcessStartRefusedError, match="none of the markers"):
        await asyncio.create_subprocess_exec("true")


@pytest.mark.processes
def test_a_marked_test_starts_processes() -> None:
    assert subprocess.run(["true"], check=False).returncode == 0
