# Working on the template itself. `just` lists the recipes.

set shell := ["bash", "-euo", "pipefail", "-c"]

# List every recipe
default:
    @just --list --unsorted

# Run every template test (the CI command): the quick ones on two workers, then the slow ones in turn
test *args:
    uv run pytest --numprocesses 2 {{ args }}

# Run the quick template tests only (render, lint, validators), skipping generated-project runs
test_fast *args:
    uv run pytest -m "not slow" -n auto {{ args }}

# Ports of the preview's services: the `port_base` answer of `just render` (override: PREVIEW_PORT_BASE=…)
preview_port_base := env("PREVIEW_PORT_BASE", "38800")

# Render the template with default answers into tmp/render (extra arguments go to copier)
render *args:
    if [[ -f tmp/render/scripts/env.sh ]]; then just down; fi  # services of the old preview first
    rm -rf tmp/render
    uv run copier copy --trust --defaults --vcs-ref HEAD --data project_name="Demo App" --data port_base={{ preview_port_base }} {{ args }} . tmp/render
    @echo "rendered into tmp/render (services: just up)"

# Start the preview's Postgres, Redis and mail server: docker-compose.yml under Docker, else native
[script("bash", "-euo", "pipefail")]
up:
    [[ -f tmp/render/scripts/env.sh ]] || just render
    source tmp/render/scripts/env.sh
    if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
      docker compose up --detach --wait
    else
      tmp/render/scripts/services.sh up
    fi

# Stop the services `just up` started (their data stays)
[script("bash", "-euo", "pipefail")]
down:
    [[ -f tmp/render/scripts/env.sh ]] || { echo "down: no preview in tmp/render, so nothing was started" >&2; exit 0; }
    source tmp/render/scripts/env.sh
    if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
      docker compose down
    else
      tmp/render/scripts/services.sh down
    fi

# Lock again after editing the template's dependencies, upgrading nothing else: a render's locks into template/
[script("bash", "-euo", "pipefail")]
deps_lock:
    python=$(uv run python -c 'from tests.support import FULL_SUITE_PYTHON; print(FULL_SUITE_PYTHON or "")')
    [[ -n $python ]] || { echo "deps_lock: none of the Pythons copier.yml offers is installed here" >&2; exit 1; }
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    # A plain directory, not a git checkout: copier renders the working tree as it stands.
    cp -r copier.yml template "$work/"
    uv run copier copy --quiet --trust --defaults --data project_name="Demo App" --data python_version="$python" "$work" "$work/project"
    (cd "$work/project" && uv lock)  # starts from the shipped lock: only what changed moves
    (cd "$work/project/web" && pnpm install --lockfile-only)
    uv run python -m tools.ship_locks "$work/project"
    git status --short -- template/uv.lock.jinja template/web

# Ports of the deps_upgrade render's services (override: DEPS_UPGRADE_PORT_BASE=…)
deps_upgrade_port_base := env("DEPS_UPGRADE_PORT_BASE", "38900")

# Refresh the shipped locks to the newest allowed versions, once a render passes lint and tests on them
[script("bash", "-euo", "pipefail")]
deps_upgrade:
    python=$(uv run python -c 'from tests.support import FULL_SUITE_PYTHON; print(FULL_SUITE_PYTHON or "")')
    [[ -n $python ]] || { echo "deps_upgrade: none of the Pythons copier.yml offers is installed here" >&2; exit 1; }
    project=tmp/deps-upgrade
    if [[ -f $project/scripts/env.sh ]]; then (cd "$project" && just down); fi
    rm -rf "$project"
    uv run copier copy --trust --defaults --vcs-ref HEAD --data project_name="Demo App" \
      --data python_version="$python" --data port_base={{ deps_upgrade_port_base }} . "$project"
    (
      cd "$project"
      trap 'just down' EXIT
      uv lock --upgrade
      # The newest release within each range of package.json, with the project's own Node check.
      (source scripts/env.sh && source scripts/web-tools.sh && cd web && pnpm update)
      # Inside this checkout copier's task leaves the render without a repository of its own.
      git init -q -b main && git add -A && git commit -qm "Start from copier-fullstack, on the newest allowed versions"
      just setup
      just lint
      just test
    )
    uv run python -m tools.ship_locks "$project"
    echo "deps_upgrade: the render passed on these versions; the shipped locks now hold them:"
    git diff --stat -- template

# Check formatting and lint rules of the template's own code
lint:
    uv run ruff format --check .
    uv run ruff check .

# Apply formatting and autofixable lint rules to the template's own code
fix:
    uv run ruff format .
    uv run ruff check --fix .

# Benchmark render/update, the generated project's setup, tests and HTTP throughput (needs wrk)
bench *args:
    uv run python -m bench {{ args }}

# Tag a template release once its CHANGELOG.md entry is committed: just release v0.2.0
release version:
    #!/usr/bin/env bash
    set -euo pipefail
    version="{{ version }}"
    [[ $version =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "release: the version must look like v1.2.3, got '$version'" >&2; exit 1; }
    [[ -z "$(git status --porcelain)" ]] || { echo "release: commit your changes first; a tag must name what was tested" >&2; exit 1; }
    grep -qxE "## ${version//./\\.}( .*)?" CHANGELOG.md || { echo "release: CHANGELOG.md has no '## $version' entry saying what an update brings" >&2; exit 1; }
    ! git rev-parse -q --verify "refs/tags/$version" >/dev/null || { echo "release: $version is already tagged" >&2; exit 1; }
    git tag -a "$version" -m "$version"
    echo "release: tagged $version. Publish it with: git push origin $version"
