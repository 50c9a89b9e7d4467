# Loads the project environment in layers: env/all.sh, env/<layer>.sh, then git-ignored
# env/*.local.sh overrides. Sourced by .envrc (direnv) and by every Justfile recipe, so both
# paths see the same variables. Usage: source scripts/env.sh [dev|test|production]
# (default: $APP_ENV or dev). When scripts/secrets.sh exists, it resolves secret references last.

project_env_layer=${1:-${APP_ENV:-dev}}
project_env_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [[ ! -f "$project_env_root/env/$project_env_layer.sh" ]]; then
  echo "scripts/env.sh: no environment layer env/$project_env_layer.sh (use dev, test or production)" >&2
  return 1
fi

if [[ "${PROJECT_ENV_LOADED:-}" != "$project_env_root:$project_env_layer" ]]; then
  for project_env_file in \
    "$project_env_root/env/all.sh" \
    "$project_env_root/env/$project_env_layer.sh" \
    "$project_env_root/env/all.local.sh" \
    "$project_env_root/env/$project_env_layer.local.sh"; do
    if [[ -f "$project_env_file" ]]; then
      # shellcheck source=/dev/null
      source "$project_env_file"
    fi
  done
  if [[ -f "$project_env_root/scripts/secrets.sh" ]]; then
    source "$project_env_root/scripts/secrets.sh" || return 1
  fi
  export APP_ENV=$project_env_layer
  export PROJECT_ENV_LOADED="$project_env_root:$project_env_layer"
fi
unset project_env_layer project_env_root project_env_file
