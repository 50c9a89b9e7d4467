#!/usr/bin/env bash
# The one map from changed files to what to rerun, shared by `just template_update` and the
# post-merge hook (scripts/post_merge.sh). Reads changed paths on stdin, one per line; prints one
# "command<TAB>why" line per step needed, nothing when no step is.
set -euo pipefail

changed=$(cat)
step() { printf '%s\t%s\n' "$1" "$2"; }

if grep -qxE 'pyproject\.toml|uv\.lock' <<<"$changed"; then
  step "uv lock && uv sync" "Python dependencies changed (uv.lock is regenerated, never merged by hand)"
fi
if grep -qx 'mise\.toml' <<<"$changed"; then
  step "just setup" "pinned tool versions changed (mise.toml)"
fi
if grep -qxE 'web/package\.json|web/pnpm-lock\.yaml' <<<"$changed"; then
  step "just web_install" "web dependencies changed"
fi
if grep -qE '^migrations/versions/' <<<"$changed"; then
  step "just db_heads && just db_migrate" "new or changed migrations (db_heads prints the one merge command when yours and the template's form two heads)"
fi
if grep -qx 'lefthook\.yml' <<<"$changed"; then
  step "lefthook install" "git hooks changed"
fi
if grep -qE '^(docker-compose\.yml|scripts/services\.sh|env/)' <<<"$changed"; then
  step "just down && just up" "services or their environment changed"
fi
if grep -qE '^app/(routes|models)/' <<<"$changed"; then
  step "just web_generate" "the API changed: regenerate the typed web client"
fi
