"""Render and update timings of the template itself, on a throwaway two-revision clone."""

import shutil
from pathlib import Path

from bench.common import GIT, ROOT, run, timed


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


def copier_copy(template: Path, target: Path, ref: str, **answers: object) -> None:
    data = ["--data", "project_name=Bench App"]
    for question, answer in answers.items():
        data += ["--data", f"{question}={answer}"]
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
