# Working on the template itself. `just` lists the recipes.

set shell := ["bash", "-euo", "pipefail", "-c"]

# List every recipe
default:
    @just --list --unsorted

# Run every template test, including the slow ones that run a generated project (the CI command)
test *args:
    uv run pytest {{ args }}

# Run the quick template tests only (render, lint, validators), skipping generated-project runs
test_fast *args:
    uv run pytest -m "not slow" -n auto {{ args }}

# Render the template with default answers into tmp/render (extra arguments go to copier)
render *args:
    rm -rf tmp/render
    uv run copier copy --trust --defaults --vcs-ref HEAD --data project_name="Demo App" {{ args }} . tmp/render
    @echo "rendered into tmp/render"

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
