"""The bench's report: a markdown table of the results, and the machine they were taken on."""

import datetime
import os
import platform

from bench.http_load import CONCURRENCY


def markdown(results: dict) -> str:
    def spread(stat: dict) -> str:
        load = f", load {stat['load_average']}" if "load_average" in stat else ""
        cpu = f"; CPU {stat['cpu']['median']} s ({stat['cpu']['min']}-{stat['cpu']['max']})"
        return (
            f"{stat['median']} s ({stat['min']}-{stat['max']}, n={stat['runs']}{load})"
            f"{cpu if 'cpu' in stat else ''}"
        )

    lines = ["| measurement | result |", "| --- | --- |"]
    if "render" in results:
        lines.append(f"| `copier copy` (default answers) | {spread(results['render'])} |")
        lines.append(f"| `copier update` (two revisions) | {spread(results['update'])} |")
    if "setup" in results:
        lines.append(f"| `just setup` (warm caches, fresh venv) | {spread(results['setup'])} |")
    for suite, stat in results.get("tests", {}).items():
        lines.append(f"| test suite: {suite} | {spread(stat)} |")
    http = results.get("http")
    if http:
        lines += http_rows(http)
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
    for suite, durations in results.get("slowest_tests", {}).items():
        lines += ["", f"Slowest {suite} tests (pytest --durations):", "", "```", *durations, "```"]
    return "\n".join(lines)


ROUTE_NAMES = {"list": "`GET /api/items` (20 rows)", "create": "`POST /api/items`"}


def http_rows(http: dict) -> list[str]:
    """Each route and concurrency: CPU per request first, then throughput, beside the ceiling."""
    lines = []
    for route, name in ROUTE_NAMES.items():
        for connections in CONCURRENCY:
            app = http["app"][route][connections]
            ceiling = http["ceiling"][route][connections]
            lines.append(
                f"| {name}, logged in, {connections} conn | "
                f"{app['cpu_ms_per_request']} ms CPU/req, {app['requests_per_second']} req/s,"
                f" p50 {app['p50_ms']} ms, p99 {app['p99_ms']} ms, {app['non_2xx']} errors"
                f" — ceiling {ceiling['cpu_ms_per_request']} ms CPU/req,"
                f" {ceiling['requests_per_second']} req/s"
                f" (ratio {http['ratio_to_ceiling'][route][connections]};"
                f" load {app['load_average']}) |"
            )
        app_memory, ceiling_memory = http["app"][route]["memory"], http["ceiling"][route]["memory"]
        lines.append(
            f"| memory per worker after {name} ({app_memory['workers']} workers) |"
            f" {app_memory['rss_mib']} MiB RSS, {app_memory['uss_mib']} MiB unique"
            f" — ceiling {ceiling_memory['rss_mib']} MiB RSS,"
            f" {ceiling_memory['uss_mib']} MiB unique |"
        )
    login = http["login"]
    lines.append(
        f"| `POST /api/auth/login`, {login['connections']} conn | "
        f"{login['cpu_ms_per_request']} ms CPU/req, {login['requests_per_second']} req/s,"
        f" p50 {login['p50_ms']} ms, p99 {login['p99_ms']} ms, {login['non_2xx']} errors"
        f" — floor: one argon2 verification {http['argon2_verify_ms']} ms CPU"
        f" (load {login['load_average']}) |"
    )
    return lines


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
