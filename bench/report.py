"""The bench's report: a markdown table of the results, and the machine they were taken on."""

import datetime
import os
import platform

from bench.http_load import CONCURRENCY


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
    for suite, durations in results.get("slowest_tests", {}).items():
        lines += ["", f"Slowest {suite} tests (pytest --durations):", "", "```", *durations, "```"]
    return "\n".join(lines)


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
