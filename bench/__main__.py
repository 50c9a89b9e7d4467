"""`just bench`: measure the template and the app it generates, write JSON, print a markdown table.

Each measurement is repeated and reported as median with min and max. Nothing here asserts a
threshold: the numbers are published (bench/results/, the READMEs), not enforced.
"""

import argparse
import datetime
import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import BENCH, ROOT, run
from bench.http_load import bench_http
from bench.image import bench_image
from bench.jobs import bench_celery
from bench.project import bench_setup, bench_tests, generated_project
from bench.report import machine, markdown
from bench.template import bench_render, bench_update, snapshot_template
from bench.web_bundle import bench_web


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="repetitions of each timed command")
    parser.add_argument("--seconds", type=int, default=10, help="duration of each load test")
    parser.add_argument("--workers", type=int, default=2, help="server processes under load")
    parser.add_argument("--round-trips", type=int, default=200, help="sequential Celery jobs")
    parts = parser.add_mutually_exclusive_group()
    parts.add_argument("--quick", action="store_true", help="template timings only")
    parts.add_argument(
        "--suites", action="store_true", help="the generated project's test suites only"
    )
    parts.add_argument(
        "--http", action="store_true", help="HTTP load only (the API against its ceiling)"
    )
    parser.add_argument(
        "--project",
        type=Path,
        help="with --http: measure this set-up project (another revision, say), not a render",
    )
    arguments = parser.parse_args()
    if not (arguments.quick or arguments.suites) and shutil.which("wrk") is None:
        parser.error("wrk is missing: apt install wrk (or brew install wrk), or use --quick")

    results: dict = {"machine": machine()}
    with tempfile.TemporaryDirectory(prefix="bench-") as directory:
        workdir = Path(directory)
        if arguments.http:
            with existing_or_generated(arguments.project, workdir) as project:
                results["http"] = bench_http(project, arguments.seconds, arguments.workers, workdir)
            publish(results, "http-")
            return
        template = snapshot_template(workdir)
        if not arguments.suites:
            results["render"] = bench_render(template, workdir, arguments.runs)
            results["update"] = bench_update(template, workdir, arguments.runs)
        if not arguments.quick:
            with generated_project(template, workdir) as project:
                if arguments.suites:
                    run(["just", "setup"], project)  # installs; the suites are what is measured
                else:
                    results["setup"] = bench_setup(project, max(arguments.runs // 2, 1))
                tests = bench_tests(project, max(arguments.runs // 2, 1))
                results["tests"], results["slowest_tests"] = tests
                if not arguments.suites:
                    results["web"] = bench_web(project)  # production serving needs the bundle
                    results["http"] = bench_http(
                        project, arguments.seconds, arguments.workers, workdir
                    )
                    results["celery"] = bench_celery(project, arguments.round_trips, 500)
                    results["image"] = bench_image(project)

    publish(results, "suites-" if arguments.suites else "")


@contextmanager
def existing_or_generated(project: Path | None, workdir: Path) -> Iterator[Path]:
    """The given project as it is (set up already), or a fresh render set up for serving."""
    if project is not None:
        yield project.resolve()
        return
    with generated_project(snapshot_template(workdir), workdir) as rendered:
        run(["just", "setup"], rendered)
        run(["just", "web_build"], rendered)  # production serves the bundle
        yield rendered


def publish(results: dict, part: str) -> None:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H%M")
    output = BENCH / "results" / f"{part}{stamp}.json"
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(markdown(results))
    print(f"\nwritten to {output.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
