"""Celery round trip and throughput against a real worker (celery_roundtrip.py)."""

import json
from pathlib import Path

from bench.common import BENCH, background, project_env, run


def bench_celery(project: Path, sequential: int, burst: int) -> dict:
    env = project_env(project, "dev")
    worker = ["uv", "run", "scripts/run.sh", "worker", "--loglevel", "WARNING"]
    script = str(BENCH / "celery_roundtrip.py")
    with background(worker, project, env):
        output = run(["uv", "run", "python", script, str(sequential), str(burst)], project, env)
    return json.loads(output.strip().splitlines()[-1])
