"""The production image: its size, built by the project's own `just build` (as the image test)."""

import subprocess
from pathlib import Path

from bench.common import project_env, run
from tests.base_images import container_engine, provide_base_images


def bench_image(project: Path) -> dict:
    engine = container_engine()
    if engine is None:
        return {"skipped": "no container engine answers (docker info, podman info)"}
    flags = provide_base_images(engine, (project / "Dockerfile").read_text())
    run(["just", "build", "bench", *flags], project)
    image = f"{project_env(project)['CONTAINER_IMAGE']}:bench"
    try:
        size = run([engine, "image", "inspect", "--format", "{{.Size}}", image], project)
    finally:
        for tag in (image, image.replace(":bench", ":latest")):
            subprocess.run([engine, "rmi", "--force", tag], capture_output=True, check=False)
    return {
        "engine": engine,
        "base_images": "local stand-ins" if flags else "pulled",
        "bytes": int(size.strip()),
    }
