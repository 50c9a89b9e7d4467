"""HTTP throughput of the production server under wrk, beside a no-ORM ceiling (ceiling.py)."""

import json
import re
import socket
import urllib.request
from pathlib import Path

from bench.common import BENCH, background, project_env, run

CONCURRENCY = (1, 16, 64)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wrk(
    url: str,
    connections: int,
    seconds: int,
    script: Path | None = None,
    headers: tuple[str, ...] = (),
) -> dict:
    command = ["wrk", "--latency", "-t1", f"-c{connections}", f"-d{seconds}s", url]
    for header in headers:
        command[1:1] = ["-H", header]
    if script:
        command[1:1] = ["-s", str(script)]
    output = run(command, BENCH)
    requests = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)

    def percentile(label: str) -> float:
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", output).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    return {
        "requests_per_second": round(requests, 1),
        "p50_ms": percentile("50"),
        "p99_ms": percentile("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def log_in(base: str, seed_output: str) -> tuple[str, ...]:
    """Headers of the demo account's browser: its session cookie, so every measured request pays
    the session check, and the `Sec-Fetch-Site` the CSRF check of unsafe requests reads."""
    email, password = re.search(r"log in as (\S+) with the password (\S+)", seed_output).groups()
    same_origin = "Sec-Fetch-Site: same-origin"
    request = urllib.request.Request(
        f"{base}/api/auth/login",
        data=json.dumps({"email": email, "password": password}).encode(),
        headers={"Content-Type": "application/json", "Sec-Fetch-Site": "same-origin"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:
        cookies = [header.split(";", 1)[0] for header in response.headers.get_all("Set-Cookie")]
    return (f"Cookie: {'; '.join(cookies)}", same_origin)


def warm_up(url: str, script: Path | None = None, headers: tuple[str, ...] = ()) -> None:
    """Steady state only: every worker process opens its connections and fills its caches first.

    Measured without it, each worker's first requests (first database connection, first query
    compilation) land in the p99 of the 1-connection run as a ~200-500 ms tail.
    """
    wrk(url, 16, 3, script, headers)


def bench_http(project: Path, seconds: int, workers: int) -> dict:
    env = project_env(project, "dev")
    run(["just", "db_reset"], project)
    seed_output = run(["just", "db_seed", "20"], project)
    env.update(PORT=str(free_port()), WEB_CONCURRENCY=str(workers), ENVIRONMENT="production")
    base = f"http://127.0.0.1:{env['PORT']}"
    list_url = f"{base}/api/items?limit=20"
    results: dict[str, dict] = {"app_list": {}, "ceiling_list": {}, "app_create": {}}

    # Exactly the production command (scripts/run.sh web), quieter logs being the only extra.
    app_command = ["uv", "run", "--no-sync", "scripts/run.sh", "web", "--log-level", "warning"]
    # The ceiling app under the same server settings as the production command.
    ceiling_command = [
        *["uv", "run", "--no-sync", "uvicorn", "ceiling:app", "--host", "127.0.0.1"],
        *["--port", env["PORT"], "--workers", str(workers), "--loop", "uvloop"],
        *["--http", "httptools", "--no-access-log", "--log-level", "warning"],
    ]
    with background(app_command, project, env, f"{base}/livez"):
        logged_in = log_in(base, seed_output)
        warm_up(list_url, headers=logged_in)
        for connections in CONCURRENCY:
            results["app_list"][connections] = wrk(
                list_url, connections, seconds, headers=logged_in
            )

    ceiling_env = {**env, "PYTHONPATH": str(BENCH)}
    with background(ceiling_command, project, ceiling_env, f"{base}/api/items?limit=1"):
        warm_up(list_url)
        for connections in CONCURRENCY:
            results["ceiling_list"][connections] = wrk(list_url, connections, seconds)

    with background(app_command, project, env, f"{base}/livez"):
        logged_in = log_in(base, seed_output)
        warm_up(f"{base}/api/items", BENCH / "post.lua", logged_in)
        for connections in CONCURRENCY:
            results["app_create"][connections] = wrk(
                f"{base}/api/items", connections, seconds, BENCH / "post.lua", logged_in
            )
    results["list_ratio_to_ceiling"] = {
        connections: round(
            results["app_list"][connections]["requests_per_second"]
            / results["ceiling_list"][connections]["requests_per_second"],
            2,
        )
        for connections in CONCURRENCY
    }
    results["workers"] = workers
    results["seconds_per_run"] = seconds
    return results
