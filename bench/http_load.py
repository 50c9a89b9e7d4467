"""HTTP load on the production server (scripts/run.sh web) beside a no-ORM ceiling (ceiling.py).

Every route is measured as the seeded demo account's browser (session cookie, Sec-Fetch-Site), so
each request pays the session check. The primary figure is the server's CPU time per request
(all its processes, user + system, read from /proc by psutil): unlike req/s it hardly moves when
other work shares the machine. Requests per second and latency are reported beside it.
"""

import json
import os
import re
import socket
import statistics
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psutil

from bench.common import BENCH, background, project_env, run

CONCURRENCY = (1, 16, 64)
LOGIN_CONCURRENCY = 4
# The log-in limits are lifted for the bench server: it measures the work of a log-in, not 429s.
NO_LOGIN_LIMITS = {
    "RATE_LIMIT_LOGIN_PER_IP": "100000/minute",
    "RATE_LIMIT_LOGIN_PER_ACCOUNT": "100000/minute",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_processes(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the server and every process below it (workers), living ones."""
    total = 0.0
    for process in server_processes(pid):
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def worker_memory_mib(pid: int) -> dict:
    """Resident and unique memory of each worker (the leaf processes); the median of them."""
    processes = server_processes(pid)
    workers = [
        process
        for process in processes
        if not process.children() and "resource_tracker" not in " ".join(process.cmdline())
    ] or processes
    memory = [process.memory_full_info() for process in workers]
    return {
        "workers": len(workers),
        "rss_mib": round(statistics.median(info.rss for info in memory) / 2**20, 1),
        "uss_mib": round(statistics.median(info.uss for info in memory) / 2**20, 1),
    }


def wrk(
    url: str,
    connections: int,
    seconds: int,
    script: Path | None = None,
    headers: tuple[str, ...] = (),
    server_pid: int | None = None,
) -> dict:
    # A log-in takes a whole argon2 hash: wrk's 2 s timeout would drop slow ones on a busy machine.
    command = ["wrk", "--latency", "--timeout", "10s", "-t1", f"-c{connections}", f"-d{seconds}s"]
    command.append(url)
    for header in headers:
        command[1:1] = ["-H", header]
    if script:
        command[1:1] = ["-s", str(script)]
    cpu_before = cpu_seconds(server_pid) if server_pid else 0.0
    output = run(command, BENCH)
    cpu = cpu_seconds(server_pid) - cpu_before if server_pid else 0.0
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)

    def percentile(label: str) -> float:
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", output).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    result = {
        "requests_per_second": round(
            float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), 1
        ),
        "p50_ms": percentile("50"),
        "p99_ms": percentile("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }
    if server_pid:
        result["cpu_ms_per_request"] = round(cpu * 1000 / max(requests, 1), 3)
    return result


def demo_account(seed_output: str) -> tuple[str, str]:
    email, password = re.search(r"log in as (\S+) with the password (\S+)", seed_output).groups()
    return email, password


def log_in(base: str, email: str, password: str) -> tuple[str, ...]:
    """Headers of the demo account's browser: its session cookie, so every measured request pays
    the session check, and the `Sec-Fetch-Site` the CSRF check of unsafe requests reads."""
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


def login_script(directory: Path, email: str, password: str) -> Path:
    """A wrk script posting the demo account's credentials on every request."""
    script = directory / "login.lua"
    body = json.dumps({"email": email, "password": password})
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(body)}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        'wrk.headers["Sec-Fetch-Site"] = "same-origin"\n'
    )
    return script


def warm_up(
    url: str,
    pid: int,
    script: Path | None = None,
    headers: tuple[str, ...] = (),
    connections: int = 16,
) -> None:
    """Steady state only: every worker process opens its connections and fills its caches first,
    and the requests still queued when the warm-up ends are done before the measurement starts.

    Measured without it, each worker's first requests (first database connection, first query
    compilation) land in the p99 of the 1-connection run as a ~200-500 ms tail.
    """
    wrk(url, connections, 3, script, headers)
    wait_until_idle(pid)


def load_average() -> str:
    """`uptime`'s load averages: how busy the machine was while a figure was taken."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def wait_until_idle(pid: int, timeout: float = 180) -> None:
    """Until every worker has started: the first answers `ready_url` while others still import,
    and their start-up CPU must not be counted as the first figures' (seconds on a busy machine).
    """
    deadline = time.monotonic() + timeout
    before = cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(1)
        after = cpu_seconds(pid)
        if after - before < 0.02:
            return
        before = after
    raise RuntimeError(f"the server (pid {pid}) kept busy for {timeout} s without load")


@contextmanager
def serving(command: list[str], project: Path, env: dict[str, str], ready_url: str):
    with background(command, project, env, ready_url) as server:
        wait_until_idle(server.process.pid)
        yield server.process.pid


ROUTES = {"list": ("/api/items?limit=20", None), "create": ("/api/items", BENCH / "post.lua")}


def measure_route(pid: int, base: str, route: str, headers: tuple[str, ...], seconds: int) -> dict:
    """One route at each concurrency, logged in, and the workers' memory after it."""
    path, script = ROUTES[route]
    warm_up(base + path, pid, script, headers)
    results: dict = {}
    for connections in CONCURRENCY:
        results[connections] = wrk(base + path, connections, seconds, script, headers, pid)
        results[connections]["load_average"] = load_average()
    results["memory"] = worker_memory_mib(pid)
    return results


def app_command(project: Path) -> list[str]:
    """The production command itself; the project's virtualenv is first on PATH, as in the image."""
    return [str(project / "scripts/run.sh"), "web", "--log-level", "warning"]


def bench_http(project: Path, seconds: int, workers: int, scratch: Path) -> dict:
    env = project_env(project, "dev")
    run(["just", "db_reset"], project)
    email, password = demo_account(run(["just", "db_seed", "20"], project))
    venv = project / ".venv"
    env.update(
        PORT=str(free_port()),
        WEB_CONCURRENCY=str(workers),
        ENVIRONMENT="production",
        SECRET_KEY=os.urandom(32).hex(),
        VIRTUAL_ENV=str(venv),
        PATH=f"{venv / 'bin'}:{env['PATH']}",
        **NO_LOGIN_LIMITS,
    )
    base = f"http://127.0.0.1:{env['PORT']}"
    results: dict = {"workers": workers, "seconds_per_run": seconds, "app": {}, "ceiling": {}}
    # The ceiling under the same server flags as scripts/run.sh web, with asyncpg added for it.
    ceiling_command = [
        *["uv", "run", "--no-sync", "--with", "asyncpg", "python", "-m", "uvicorn", "ceiling:app"],
        *["--host", "127.0.0.1", "--port", env["PORT"], "--workers", str(workers)],
        *["--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning"],
    ]
    ceiling_env = {**env, "PYTHONPATH": str(BENCH)}
    headers: tuple[str, ...] = ()
    # Lists before creates, so that both servers list the same 20 rows and count the same total.
    for route in ROUTES:
        with serving(app_command(project), project, env, f"{base}/livez") as pid:
            headers = headers or log_in(base, email, password)
            results["app"][route] = measure_route(pid, base, route, headers, seconds)
        with serving(ceiling_command, project, ceiling_env, f"{base}/livez") as pid:
            results["ceiling"][route] = measure_route(pid, base, route, headers, seconds)

    with serving(app_command(project), project, env, f"{base}/livez") as pid:
        login = login_script(scratch, email, password)
        warm_up(f"{base}/api/auth/login", pid, login, connections=LOGIN_CONCURRENCY)
        results["login"] = wrk(f"{base}/api/auth/login", LOGIN_CONCURRENCY, seconds, login, (), pid)
        results["login"]["connections"] = LOGIN_CONCURRENCY
        results["login"]["load_average"] = load_average()
    results["argon2_verify_ms"] = argon2_verify_ms(project, env)

    results["ratio_to_ceiling"] = {
        route: {
            connections: round(
                results["app"][route][connections]["requests_per_second"]
                / results["ceiling"][route][connections]["requests_per_second"],
                2,
            )
            for connections in CONCURRENCY
        }
        for route in ROUTES
    }
    return results


def argon2_verify_ms(project: Path, env: dict[str, str]) -> float:
    """CPU of one password verification with the project's argon2 parameters: a log-in's floor."""
    code = (
        "import time; from app.accounts.passwords import password_hash as h; p = h(); "
        "s = p.hash('benchmark password'); p.verify('benchmark password', s); "
        "t = time.process_time(); [p.verify('benchmark password', s) for _ in range(10)]; "
        "print((time.process_time() - t) * 100)"
    )
    return round(float(run(["python", "-c", code], project, env).strip()), 1)
