"""`just bench`: measure the template and the app it generates, write JSON, print a markdown table.

Each measurement is repeated and reported as median with min and max. Nothing here asserts a
threshold: the numbers are published (bench/results/, the READMEs), not enforced.
"""

import argparse
import datetime
import gzip
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))

from tests.base_images import container_engine, provide_base_images  # noqa: E402
from tests.conftest import free_port_block  # noqa: E402  # one port picker for tests and bench

GIT = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com"]
CONCURRENCY = (1, 16, 64)


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, **kwargs) -> str:
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False, **kwargs
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed in {cwd}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


def timed(action: Callable[[], object], runs: int, before: Callable[[], object] | None = None):
    samples = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return summary(samples, unit="s")


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


# ---------- template: render and update ----------


def snapshot_template(workdir: Path) -> Path:
    """A committed copy of the template's working tree (v1) with a second revision (v2)."""
    repo = workdir / "template"
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "tmp", "__pycache__", "*_cache", "node_modules"
    )
    shutil.copytree(ROOT, repo, ignore=ignore)
    run([*GIT, "init", "-q", "-b", "main"], repo)
    run([*GIT, "add", "-A"], repo)
    run([*GIT, "commit", "-q", "-m", "v1"], repo)
    run([*GIT, "tag", "v1.0.0"], repo)
    justfile = repo / "template/Justfile"
    justfile.write_text(
        justfile.read_text() + "\n# Print the API port\nport:\n    echo $API_PORT\n"
    )
    run([*GIT, "commit", "-q", "-am", "v2"], repo)
    run([*GIT, "tag", "v2.0.0"], repo)
    return repo


def copier_copy(template: Path, target: Path, ref: str, port_base: int | None = None) -> None:
    data = ["--data", "project_name=Bench App"]
    if port_base is not None:
        data += ["--data", f"port_base={port_base}"]
    run(
        [
            "copier",
            "copy",
            "--trust",
            "--defaults",
            "--quiet",
            "--vcs-ref",
            ref,
            *data,
            str(template),
            str(target),
        ],
        cwd=template.parent,
    )


def bench_render(template: Path, workdir: Path, runs: int) -> dict:
    counter = iter(range(1000))

    def render() -> None:
        copier_copy(template, workdir / f"render-{next(counter)}", "v2.0.0")

    return timed(render, runs)


def bench_update(template: Path, workdir: Path, runs: int) -> dict:
    project = workdir / "update"
    copier_copy(template, project, "v1.0.0")
    run([*GIT, "init", "-q", "-b", "main"], project)
    run([*GIT, "add", "-A"], project)
    run([*GIT, "commit", "-q", "-m", "start"], project)

    def reset() -> None:
        run([*GIT, "reset", "-q", "--hard", "HEAD"], project)
        run([*GIT, "clean", "-qfd"], project)

    def update() -> None:
        run(
            [
                "copier",
                "update",
                "--trust",
                "--defaults",
                "--quiet",
                "--skip-tasks",
                "--vcs-ref",
                "v2.0.0",
            ],
            cwd=project,
        )

    return timed(update, runs, before=reset)


# ---------- generated project: setup, tests, HTTP ----------


@contextmanager
def generated_project(template: Path, workdir: Path) -> Iterator[Path]:
    project = workdir / "app"
    copier_copy(template, project, "v2.0.0", port_base=free_port_block())
    run([*GIT, "init", "-q", "-b", "main"], project)
    run([*GIT, "add", "-A"], project)
    run([*GIT, "commit", "-q", "-m", "start"], project)
    try:
        yield project
    finally:
        subprocess.run(["just", "down"], cwd=project, capture_output=True, check=False)
        data = project / "tmp/services/postgres"
        if data.is_symlink():
            shutil.rmtree(data.resolve(), ignore_errors=True)


def bench_setup(project: Path, runs: int) -> dict:
    run(["just", "setup"], project)  # first run fills the package caches

    def fresh_venv() -> None:
        shutil.rmtree(project / ".venv", ignore_errors=True)

    return timed(lambda: run(["just", "setup"], project), runs, before=fresh_venv)


def bench_tests(project: Path, runs: int) -> dict:
    env = project_env(project, "test")
    suites = {"backend": ["tests", "--ignore=tests/integration"]}
    if (project / "tests/integration").is_dir():
        suites["browser"] = ["tests/integration"]
    results = {}
    for name, args in suites.items():
        command = ["uv", "run", "pytest", "-q", "-p", "no:cacheprovider", *args]
        results[name] = timed(lambda command=command: run(command, project, env), runs)
    return results


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@contextmanager
def background(command: list[str], project: Path, env: dict[str, str], ready_url: str = ""):
    """Run a process group for the duration of the block, first waiting for `ready_url` if given."""
    process = subprocess.Popen(
        command,
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        if ready_url:
            wait_for(ready_url)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wrk(url: str, connections: int, seconds: int, script: Path | None = None) -> dict:
    command = ["wrk", "--latency", "-t1", f"-c{connections}", f"-d{seconds}s", url]
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


def warm_up(url: str, script: Path | None = None) -> None:
    """Steady state only: every worker process opens its connections and fills its caches first.

    Measured without it, each worker's first requests (first database connection, first query
    compilation) land in the p99 of the 1-connection run as a ~200-500 ms tail.
    """
    wrk(url, 16, 3, script)


def bench_http(project: Path, seconds: int, workers: int) -> dict:
    env = project_env(project, "dev")
    run(["just", "db_reset"], project)
    run(["just", "db_seed", "20"], project)
    env.update(PORT=str(free_port()), WEB_CONCURRENCY=str(workers), ENVIRONMENT="production")
    base = f"http://127.0.0.1:{env['PORT']}"
    list_url = f"{base}/api/items?limit=20"
    results: dict[str, dict] = {"app_list": {}, "ceiling_list": {}, "app_create": {}}

    app_command = [
        ".venv/bin/uvicorn",
        "app.server:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        env["PORT"],
        "--workers",
        str(workers),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    with background(app_command, project, env, f"{base}/livez"):
        warm_up(list_url)
        for connections in CONCURRENCY:
            results["app_list"][connections] = wrk(list_url, connections, seconds)

    ceiling_env = {**env, "PYTHONPATH": str(BENCH)}
    ceiling_command = [*app_command]
    ceiling_command[1:3] = ["ceiling:app"]
    with background(ceiling_command, project, ceiling_env, f"{base}/api/items?limit=1"):
        warm_up(list_url)
        for connections in CONCURRENCY:
            results["ceiling_list"][connections] = wrk(list_url, connections, seconds)

    with background(app_command, project, env, f"{base}/livez"):
        warm_up(f"{base}/api/items", BENCH / "post.lua")
        for connections in CONCURRENCY:
            results["app_create"][connections] = wrk(
                f"{base}/api/items", connections, seconds, BENCH / "post.lua"
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


def bench_celery(project: Path, sequential: int, burst: int) -> dict:
    env = project_env(project, "dev")
    worker = ["uv", "run", "scripts/run.sh", "worker", "--loglevel", "WARNING"]
    script = str(BENCH / "celery_roundtrip.py")
    with background(worker, project, env):
        output = run(["uv", "run", "python", script, str(sequential), str(burst)], project, env)
    return json.loads(output.strip().splitlines()[-1])


def bench_web(project: Path) -> dict:
    """Initial JS and CSS of the production build: what index.html loads before the app runs."""
    run(["just", "build_web"], project)
    client = project / "web/build/client"
    index = (client / "index.html").read_text()
    assets = set(re.findall(r'(?:src|href)="(/assets/[^"]+\.(?:js|css))"', index))
    totals = {"js": [0, 0], "css": [0, 0]}
    for asset in assets:
        content = (client / asset.lstrip("/")).read_bytes()
        kind = totals[asset.rsplit(".", 1)[1]]
        kind[0] += len(content)
        kind[1] += len(gzip.compress(content, compresslevel=9))
    return {
        "files": len(assets),
        "js_bytes": totals["js"][0],
        "js_gzip_bytes": totals["js"][1],
        "css_bytes": totals["css"][0],
        "css_gzip_bytes": totals["css"][1],
    }


def bench_image(project: Path) -> dict:
    """Size of the production image built by the project's `just build` (as tests/test_image.py)."""
    engine = container_engine()
    if engine is None:
        return {"skipped": "no container engine answers (docker info, podman info)"}
    flags = provide_base_images(engine, (project / "Dockerfile").read_text())
    run(["just", "build", "bench", *flags], project)
    image = f"{project_env(project)['CONTAINER_IMAGE']}:bench"
    try:
        size = run([engine, "image", "inspect", "--format", "{{.Size}}", image], project)
    finally:
        for tag in (image, image.replace(":bench", ":latest")):
            subprocess.run([engine, "rmi", "--force", tag], capture_output=True, check=False)
    return {
        "engine": engine,
        "base_images": "local stand-ins" if flags else "pulled",
        "bytes": int(size.strip()),
    }


# ---------- report ----------


def markdown(results: dict) -> str:
    def spread(stat: dict) -> str:
        return f"{stat['median']} s ({stat['min']}-{stat['max']}, n={stat['runs']})"

    lines = ["| measurement | result |", "| --- | --- |"]
    lines.append(f"| `copier copy` (default answers) | {spread(results['render'])} |")
    lines.append(f"| `copier update` (two revisions) | {spread(results['update'])} |")
    if "setup" in results:
        lines.append(f"| `just setup` (warm caches, fresh venv) | {spread(results['setup'])} |")
    for suite, stat in results.get("tests", {}).items():
        lines.append(f"| test suite: {suite} | {spread(stat)} |")
    http = results.get("http")
    if http:
        for connections in CONCURRENCY:
            app = http["app_list"][connections]
            ceiling = http["ceiling_list"][connections]
            create = http["app_create"][connections]
            lines.append(
                f"| `GET /api/items` (20 rows), {connections} conn | "
                f"{app['requests_per_second']} req/s, p50 {app['p50_ms']} ms,"
                f" p99 {app['p99_ms']} ms"
                f" — ceiling {ceiling['requests_per_second']} req/s"
                f" (ratio {http['list_ratio_to_ceiling'][connections]}) |"
            )
            lines.append(
                f"| `POST /api/items`, {connections} conn | "
                f"{create['requests_per_second']} req/s, p50 {create['p50_ms']} ms,"
                f" p99 {create['p99_ms']} ms |"
            )
    celery = results.get("celery")
    if celery:
        lines.append(
            f"| Celery round trip (enqueue → result) | p50 {celery['round_trip_p50_ms']} ms,"
            f" p99 {celery['round_trip_p99_ms']} ms (n={celery['round_trips']}) |"
        )
        lines.append(
            f"| Celery throughput ({celery['burst_tasks']} queued at once) |"
            f" {celery['tasks_per_second']} tasks/s |"
        )
    web = results.get("web")
    if web:
        lines.append(
            f"| web: initial JS ({web['files']} files with CSS) | {web['js_bytes'] / 1024:.1f} KiB"
            f" ({web['js_gzip_bytes'] / 1024:.1f} KiB gzip) |"
        )
        lines.append(
            f"| web: initial CSS | {web['css_bytes'] / 1024:.1f} KiB"
            f" ({web['css_gzip_bytes'] / 1024:.1f} KiB gzip) |"
        )
    image = results.get("image")
    if image and "skipped" in image:
        lines.append(f"| production image | not built: {image['skipped']} |")
    elif image:
        lines.append(
            f"| production image (uncompressed, {image['engine']}, {image['base_images']}) |"
            f" {image['bytes'] / 2**20:.0f} MiB |"
        )
    return "\n".join(lines)


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="repetitions of each timed command")
    parser.add_argument("--seconds", type=int, default=10, help="duration of each load test")
    parser.add_argument("--workers", type=int, default=2, help="server processes under load")
    parser.add_argument("--round-trips", type=int, default=200, help="sequential Celery jobs")
    parser.add_argument("--quick", action="store_true", help="template timings only")
    arguments = parser.parse_args()
    if not arguments.quick and shutil.which("wrk") is None:
        parser.error("wrk is missing: apt install wrk (or brew install wrk), or use --quick")

    results: dict = {"machine": machine()}
    with tempfile.TemporaryDirectory(prefix="bench-") as directory:
        workdir = Path(directory)
        template = snapshot_template(workdir)
        results["render"] = bench_render(template, workdir, arguments.runs)
        results["update"] = bench_update(template, workdir, arguments.runs)
        if not arguments.quick:
            with generated_project(template, workdir) as project:
                results["setup"] = bench_setup(project, max(arguments.runs // 2, 1))
                results["tests"] = bench_tests(project, max(arguments.runs // 2, 1))
                results["web"] = bench_web(project)  # production serving needs the bundle
                results["http"] = bench_http(project, arguments.seconds, arguments.workers)
                results["celery"] = bench_celery(project, arguments.round_trips, 500)
                results["image"] = bench_image(project)

    output = BENCH / "results" / f"{datetime.date.today().isoformat()}.json"
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(markdown(results))
    print(f"\nwritten to {output.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
