"""`just bench`: measure the template and the app it generates, write JSON, print a markdown table.

Each measurement is repeated and reported as median with min and max. Nothing here asserts a
threshold: the numbers are published (bench/results/, the READMEs), not enforced.
"""

import argparse
import datetime
import json
import shutil
import tempfile
from pathlib import Path

from bench.common import BENCH, ROOT
from bench.http_load import bench_http
from bench.image import bench_image
from bench.jobs import bench_celery
from bench.project import bench_setup, bench_tests, generated_project, slowest_tests
from bench.report import machine, markdown
from bench.template import bench_render, bench_update, snapshot_template
from bench.web_bundle import bench_web


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
                results["slowest_tests"] = slowest_tests(project)
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
