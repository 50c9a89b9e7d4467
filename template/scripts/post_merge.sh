#!/usr/bin/env bash
# Warns after a merge or pull when the work tree needs a step: new migrations or changed lockfiles.
# Run by lefthook's post-merge hook; only ever warns, never fails the merge.
set -uo pipefail

changed=$(git diff --name-only ORIG_HEAD HEAD 2>/dev/null) || exit 0

warn() { printf 'post-merge: %s\n' "$*" >&2; }

if grep -q '^migrations/versions/' <<<"$changed"; then
  warn "new or changed migrations: run \`just db_migrate\`"
fi
if grep -qx 'uv.lock' <<<"$changed"; then
  warn "uv.lock changed: run \`uv sync\` (or \`just setup\`)"
fi
if grep -qx 'web/pnpm-lock.yaml' <<<"$changed"; then
  warn "web/pnpm-lock.yaml changed: run \`pnpm --dir web install\`"
fi
if grep -qx 'mise.toml' <<<"$changed"; then
  warn "mise.toml changed: run \`mise install\` (or \`just setup\`)"
fi
exit 0
