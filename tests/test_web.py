"""The web app in a rendered project: its files, its answers, and the guard against an old Node."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Render


def test_the_web_app_is_rendered_with_its_lockfile_and_generated_client(render: Render):
    project = render()

    web = project / "web"
    for name in ["package.json", "pnpm-lock.yaml", "app/root.tsx", "app/client/sdk.gen.ts"]:
        assert (web / name).is_file(), name
    assert not (web / "node_modules").exists()
    assert "web: cd web" in (project / "Procfile.dev").read_text()


def test_the_project_name_reaches_the_page_title(render: Render):
    project = render(project_name="Shop Floor")

    assert (
        'export const projectName = "Shop Floor";' in (project / "web/app/project.ts").read_text()
    )


def test_mise_pins_a_node_the_web_app_accepts(render: Render):
    project = render()

    pinned = re.search(r'^node = "(\d+)"', (project / "mise.toml").read_text(), re.M)
    engines = json.loads((project / "web/package.json").read_text())["engines"]["node"]
    minimum = re.fullmatch(r">=(\d+)\.\d+\.\d+", engines)
    assert pinned
    assert minimum
    assert int(pinned.group(1)) >= int(minimum.group(1))


def _old_node() -> Path | None:
    """A Node older than 22 on this machine (Debian's Node 20 in CI), to prove the guard on."""
    for candidate in ["/usr/bin/node", "/usr/local/bin/node"]:
        if Path(candidate).is_file():
            version = subprocess.run(
                [candidate, "--version"], capture_output=True, text=True, check=True
            ).stdout
            if int(version.lstrip("v").split(".")[0]) < 22:
                return Path(candidate)
    return None


@pytest.mark.skipif(_old_node() is None, reason="no Node older than 22 installed here")
def test_web_install_names_a_node_that_is_too_old(render: Render, tmp_path: Path):
    project = render()
    old_node = _old_node()
    assert old_node is not None
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "node").symlink_to(old_node)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}

    result = subprocess.run(
        [shutil.which("just") or "just", "web_install"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "is too old; web/ needs Node >= 22.22.0" in result.stderr
    assert "mise install" in result.stderr
    assert not (project / "web/node_modules").exists()
