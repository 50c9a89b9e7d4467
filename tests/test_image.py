"""The production image, built by the generated project's own `just build` and run for real: the
migrate, web and worker commands against the project's services on the host, its HEALTHCHECK, and
its non-root user; then, with the same image (built once), the pods of the Kubernetes manifests
under `podman kube play` (tests/kube_play.py). Base images that cannot be pulled are replaced by
same-named local stand-ins (tests/base_images.py); the Dockerfile is built unchanged.
"""

import json
import re
import secrets
import subprocess
from pathlib import Path

import pytest

from tests.base_images import (
    container_engine,
    provide_base_images,
)
from tests.conftest import Render
from tests.kube_play import play_the_production_overlay
from tests.support import (
    clean_env,
    destroy_services,
    engine_run,
    fetch,
    free_port_block,
    git,
    just,
    wait_until,
)

pytestmark = pytest.mark.slow

RECIPIENT = "image-test@example.com"  # the account the test creates; reminders go to its owner
PASSWORD = "image test account passphrase"  # pragma: allowlist secret


def project_env(project: Path) -> dict[str, str]:
    """The project's dev layer (ports, database URL) as the recipes see it."""
    listing = subprocess.run(
        ["bash", "-c", "source scripts/env.sh >/dev/null && env -0"],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(line.split("=", 1) for line in listing.split("\0") if "=" in line)


def delivered_mail(project: Path, mode: str, env: dict[str, str]) -> str:
    """What the project's SMTP server received: Mailpit's API, or the native sink's log."""
    if mode == "docker":
        url = f"http://127.0.0.1:{env['MAILPIT_WEB_PORT']}/api/v1/messages"
        return fetch(url)[2].decode()
    log = project / "tmp/services/mail/messages.log"
    return log.read_text() if log.exists() else ""


def test_image_builds_with_the_project_recipe_and_runs_every_process(
    render: Render, tmp_path: Path
):
    engine = container_engine()
    assert engine, "no container engine answers: install Docker or Podman (see .ci/run)"
    project = render(port_base=free_port_block())
    git(project, "init", "-q", "-b", "main")
    flags = provide_base_images(engine, (project / "Dockerfile").read_text())
    image = "demo-app:image-test"  # CONTAINER_IMAGE of the default answers, tagged by `just build`
    names = {"web": f"{tmp_path.name}-web", "worker": f"{tmp_path.name}-worker"}
    try:
        # Services on the host; the image installs the shipped uv.lock.
        up = subprocess.run(
            ["bash", "-c", "source scripts/env.sh && scripts/services.sh up"],
            cwd=project,
            env=clean_env(),
        )
        assert up.returncode == 0, "the project's services did not start"
        git(project, "add", "-A")
        git(project, "commit", "-q", "-m", "Start from copier-fullstack")
        build = just(project, "build", "image-test", *flags, timeout=1800)
        assert build.returncode == 0, "just build failed"
        env = project_env(project)
        port = free_port_block(1)
        env_file = tmp_path / "production.env"
        database = f"{env['POSTGRES_DB']}_image"
        env_file.write_text(
            "\n".join(
                [
                    "ENVIRONMENT=production",
                    f"DATABASE_URL={env['DATABASE_URL'].rsplit('/', 1)[0]}/{database}",
                    f"REDIS_URL=redis://127.0.0.1:{env['REDIS_PORT']}/2",
                    f"SECRET_KEY={secrets.token_urlsafe(32)}",  # production refuses weak keys
                    "FORWARDED_ALLOW_IPS=",  # no proxy in front: production names none
                    f"PORT={port}",
                    "WEB_CONCURRENCY=1",
                    f"SMTP_PORT={env['MAILPIT_SMTP_PORT']}",
                ]
            )
            + "\n"
        )
        container = ["run", "--network", "host", "--env-file", str(env_file)]
        engine_run(engine, *container, "--rm", image, "app", "ensure-database")

        engine_run(engine, *container, "--rm", image, "migrate")
        current = engine_run(engine, *container, "--rm", image, "alembic", "current")
        assert "(head)" in current.stdout

        web, worker = names["web"], names["worker"]
        engine_run(engine, *container, "--detach", "--name", web, image)  # CMD: web
        engine_run(engine, *container, "--detach", "--name", worker, image, "worker")
        origin = f"http://127.0.0.1:{port}"
        wait_until(lambda: fetch(f"{origin}/livez")[0] == 200, "web answered /livez")
        # Ready once its first connections are made (a loaded machine may need a few probes).
        ready = wait_until(
            lambda: (answer := fetch(f"{origin}/readyz"))[0] == 200 and answer, "ready"
        )
        assert json.loads(ready[2])["checks"] == {"database": "ok", "broker": "ok"}

        # The SPA: index.html for a client-side route, revalidated; hashed assets cached for good.
        status, headers, page = fetch(f"{origin}/items/new", Accept="text/html,*/*;q=0.8")
        assert status == 200
        shipped = engine_run(engine, "exec", web, "cat", "web/build/client/index.html").stdout
        assert page.decode() == shipped
        assert headers["Content-Type"].startswith("text/html")
        assert headers["Cache-Control"] == "no-cache"
        assert "script-src" in headers["Content-Security-Policy"]
        assets = engine_run(engine, "exec", web, "ls", "web/build/client/assets").stdout.split()
        linked = re.findall(r'"(/assets/[\w.-]+\.js)"', shipped)
        asset = next((path for path in linked if f"{path.rsplit('/', 1)[1]}.gz" in assets), None)
        assert asset, f"index.html links no script with a precompressed copy: {linked}"
        status, headers, _ = fetch(origin + asset, **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Cache-Control"] == "max-age=315360000, public, immutable"  # ServeStatic
        assert "javascript" in headers["Content-Type"]
        assert headers["Content-Encoding"] == "gzip"

        # The image's own HEALTHCHECK command passes inside the running container.
        inspect = ["image", "inspect", "--format", "{{json .Config.Healthcheck}}", image]
        healthcheck = json.loads(engine_run(engine, *inspect).stdout)
        assert healthcheck["Test"][0] == "CMD"
        engine_run(engine, "exec", web, *healthcheck["Test"][1:])

        # Every process runs as the image's unprivileged user, not root.
        for name in (web, worker):
            status_lines = engine_run(engine, "exec", name, "cat", "/proc/1/status").stdout
            assert re.search(r"^Uid:\s+10001\s", status_lines, re.MULTILINE), name

        # One email job, enqueued through the API by a logged-in account (made with the image's
        # own CLI, verified) and delivered by the worker container to that account's address.
        engine_run(
            engine, *container, "--rm", image, "app", "users", "create", RECIPIENT,
            "--password", PASSWORD,
        )  # fmt: skip
        same_origin = {"Sec-Fetch-Site": "same-origin"}
        credentials = {"email": RECIPIENT, "password": PASSWORD}
        status, headers, body = fetch(
            f"{origin}/api/auth/login", "POST", credentials, **same_origin
        )
        assert status == 200, body
        cookie = "; ".join(value.split(";", 1)[0] for value in headers.get_all("Set-Cookie"))
        logged_in = {**same_origin, "Cookie": cookie}
        item = {"title": "Ship the image"}
        status, _, body = fetch(f"{origin}/api/items", "POST", item, **logged_in)
        assert status == 201, body
        item_id = json.loads(body)["id"]
        status, _, body = fetch(f"{origin}/api/items/{item_id}/reminders", "POST", **logged_in)
        assert status == 202, body
        mode = (project / "tmp/services/mode").read_text().strip()
        wait_until(
            lambda: RECIPIENT in delivered_mail(project, mode, env),
            "the worker delivered the reminder email",
        )
        assert "Ship the image" in delivered_mail(project, mode, env)

        # The same image as the Kubernetes manifests' pods (podman kube play, one machine).
        if engine == "podman":
            for name in names.values():
                engine_run(engine, "rm", "--force", name)
            play_the_production_overlay(
                project,
                f"localhost/{image.rsplit(':', 1)[0]}",  # where podman stores a local build
                env,
                lambda: delivered_mail(project, mode, env),
                prefix=f"{tmp_path.name}-kube",
            )
    finally:
        for name in names.values():
            subprocess.run([engine, "rm", "--force", name], capture_output=True, check=False)
        for tag in (image, "demo-app:latest"):
            subprocess.run([engine, "rmi", "--force", tag], capture_output=True, check=False)
        destroy_services(project)
