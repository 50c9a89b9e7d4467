"""The committed web client (web/app/client) matches what the backend's OpenAPI generates now."""

import filecmp
import json
import os
import subprocess
from pathlib import Path

import pytest

from app.server import create_app

pytestmark = pytest.mark.web_toolchain

WEB_ROOT = Path(__file__).resolve().parents[2] / "web"
CLIENT = WEB_ROOT / "app/client"


def _differences(comparison: filecmp.dircmp[str], prefix: str = "") -> list[str]:
    found = [f"{prefix}{name}" for name in comparison.diff_files]
    found += [f"{prefix}{name} (only in web/app/client)" for name in comparison.left_only]
    found += [f"{prefix}{name} (missing from web/app/client)" for name in comparison.right_only]
    for name, sub in comparison.subdirs.items():
        found += _differences(sub, f"{prefix}{name}/")
    return found


def test_the_committed_api_client_is_generated_from_the_current_openapi(tmp_path: Path) -> None:
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(create_app().openapi(), indent=2, sort_keys=True))
    fresh = tmp_path / "client"
    env = {**os.environ, "OPENAPI_FILE": str(document), "OPENAPI_CLIENT_DIR": str(fresh)}
    subprocess.run(["pnpm", "--silent", "generate"], cwd=WEB_ROOT, env=env, check=True)

    stale = _differences(filecmp.dircmp(CLIENT, fresh, ignore=[]))

    assert not stale, f"web/app/client is stale, run `just web_generate`; differing: {stale}"
