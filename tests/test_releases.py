"""The template's own `just release`: a tag names a clean, changelogged tree."""

from pathlib import Path

import pytest

from tests.support import git, just

FIRST_RELEASE = "v0.1.0"


def test_release_recipe_tags_only_a_clean_tree_with_a_changelog_entry(
    template_snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Template Tests")  # the tagger, on any machine
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "tests@example.com")
    repo = tmp_path / "template"
    git(tmp_path, "clone", "-q", str(template_snapshot), str(repo))

    assert "must look like v1.2.3" in just(repo, "release", "0.1").stderr
    assert "no '## v0.9.0' entry" in just(repo, "release", "v0.9.0").stderr
    (repo / "notes.txt").write_text("draft\n")
    assert "commit your changes first" in just(repo, "release", FIRST_RELEASE).stderr
    (repo / "notes.txt").unlink()

    released = just(repo, "release", FIRST_RELEASE)

    assert released.returncode == 0, released.stderr
    assert git(repo, "cat-file", "-t", FIRST_RELEASE).strip() == "tag"  # annotated
    assert "already tagged" in just(repo, "release", FIRST_RELEASE).stderr
