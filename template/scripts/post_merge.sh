#!/usr/bin/env bash
# Warns after a merge or pull when the work tree needs a step (scripts/rerun.sh decides which).
# Run by lefthook's post-merge hook; only ever warns, never fails the merge.
set -uo pipefail

changed=$(git diff --name-only ORIG_HEAD HEAD 2>/dev/null) || exit 0
steps=$(scripts/rerun.sh <<<"$changed") || exit 0
while IFS=$'\t' read -r command why; do
  [[ -n "$command" ]] && printf 'post-merge: %s: run `%s`\n' "$why" "$command" >&2
done <<<"$steps"
exit 0
