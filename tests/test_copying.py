"""Copying: where the project's git repository starts, and which files are rendered at all."""

import filecmp
from pathlib import Path

from tests.support import git, render_at


def test_copy_task_starts_a_git_repository_only_outside_one(
    template_snapshot: Path, tmp_path: Path
):
    standalone = render_at(template_snapshot, tmp_path / "standalone", "HEAD")
    assert git(standalone, "rev-parse", "--show-toplevel").strip() == str(standalone)

    monorepo = tmp_path / "monorepo"
    monorepo.mkdir()
    git(monorepo, "init", "-q", "-b", "main")
    service = render_at(template_snapshot, monorepo / "service", "HEAD")
    assert not (service / ".git").exists()
    assert git(service, "rev-parse", "--show-toplevel").strip() == str(monorepo)


def test_plain_template_files_are_copied_verbatim(template_snapshot: Path, tmp_path: Path):
    """Only .jinja files are rendered: Justfile `{{ }}`, workflow `${{ }}` and JSX stay intact."""
    project = render_at(template_snapshot, tmp_path / "project", "HEAD")
    source = template_snapshot / "template"
    plain = {
        str(path.relative_to(source))
        for path in source.rglob("*")
        if path.is_file()
        and path.suffix != ".jinja"
        and "{" not in str(path.relative_to(source))  # a templated name is rendered, not copied
        and "__pycache__" not in path.parts
    }

    _, mismatch, missing = filecmp.cmpfiles(source, project, sorted(plain), shallow=False)

    assert mismatch == []
    assert missing == []
