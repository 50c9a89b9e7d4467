"""What every measurement shares: running commands, timing them, the project's environment."""

import os
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mirakuru import HTTPExecutor, SimpleExecutor

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
GIT = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com"]


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        # The whole output outlives the throwaway project: `just test` prints the backend suite's
        # failures first, far from the end that the error shows.
        with tempfile.NamedTemporaryFile(
            "w", prefix="bench-failed-", suffix=".log", delete=False
        ) as log:
            log.write(f"{result.stdout}\n{result.stderr}")
        raise RuntimeError(
            f"{' '.join(command)} failed in {cwd} (whole output: {log.name}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


def timed(action: Callable[[], object], runs: int, before: Callable[[], object] | None = None):
    """Wall-clock samples of `action`, its CPU seconds, and the 1-minute load average after the
    last. The CPU time (user + system of every process the action ran and waited for, so the
    whole tree of a recipe) barely moves with the machine's load; the load explains a slow wall."""
    samples, cpu = [], []
    for _ in range(runs):
        if before:
            before()
        start, start_cpu = time.perf_counter(), children_cpu_seconds()
        action()
        samples.append(time.perf_counter() - start)
        cpu.append(children_cpu_seconds() - start_cpu)
    return {
        **summary(samples, unit="s"),
        "cpu": summary(cpu, unit="s"),
        "load_average": round(os.getloadavg()[0], 2),
    }


def children_cpu_seconds() -> float:
    """User + system time of every finished child process, theirs included, so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def summary(samples: list[float], unit: str) -> dict:
    return {
        "median": round(statistics.median(samples), 3),
        "min": round(min(samples), 3),
        "max": round(max(samples), 3),
        "runs": len(samples),
        "unit": unit,
    }


def project_env(project: Path, layer: str = "dev") -> dict[str, str]:
    """The environment the project's recipes see (scripts/env.sh), for commands run directly."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PROJECT_ENV"))}
    dump = run(["bash", "-c", f"source scripts/env.sh {layer} && env -0"], cwd=project, env=base)
    return dict(line.split("=", 1) for line in dump.split("\0") if "=" in line)


def background(
    command: list[str], project: Path, env: dict[str, str], ready_url: str = ""
) -> SimpleExecutor:
    """A process group for a `with` block (mirakuru), first waiting for `ready_url` if given."""
    options = {
        "cwd": str(project),
        "envvars": env,
        "stdin": subprocess.DEVNULL,
        "stdout": subprocess.DEVNULL,
        "stderr": subprocess.DEVNULL,
        "timeout": 120,  # to start (slow on a busy machine), and to stop before SIGKILL
    }
    if ready_url:
        return HTTPExecutor(command, url=ready_url, method="GET", **options)
    return SimpleExecutor(command, **options)
