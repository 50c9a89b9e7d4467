#!/usr/bin/env bash
# The one map from changed files to what to rerun, shared by `just template_update` and the
# post-merge hook (scripts/post_merge.sh). Reads changed paths on stdin, one per line; prints one
# "command<TAB>why" line per step needed, nothing when no step is.
set -euo pipefail

changed=$(cat)

# pattern (extended regex on a changed path) <TAB> command <TAB> why
while IFS=$'\t' read -r pattern command why; do
  if grep -qE "$pattern" <<<"$changed"; then
    printf '%s\t%s\n' "$command" "$why"
  fi
done <<'RULES'
^(pyproject\.toml|uv\.lock)$	uv lock && uv sync	Python dependencies changed (uv.lock is regenerated, never merged by hand)
^mise\.toml$	just setup	pinned tool versions changed (mise.toml)
^web/(package\.json|pnpm-lock\.yaml)$	just web_install	web dependencies changed
^migrations/versions/	just db_migrate	new or changed migrations (db_migrate merges yours and the template's when they form two heads)
^lefthook\.yml$	lefthook install	git hooks changed
^(docker-compose\.yml|scripts/services\.sh|env/)	just down && just up	services or their environment changed
^app/(routes|models)/	just web_generate	the API changed: regenerate the typed web client
RULES
