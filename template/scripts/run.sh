#!/usr/bin/env bash
# Production process launcher, the container's entrypoint and the body of `just serve`.
# Usage: scripts/run.sh web|worker|scheduler|monitor|migrate  (any other command runs as given)
# Expects the project's virtual environment on PATH (the image sets it; `uv run` does locally).
set -euo pipefail

command=${1:-web}
if (($#)); then shift; fi

case "$command" in
  web)
    exec uvicorn app.server:create_app --factory \
      --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" --workers "${WEB_CONCURRENCY:-2}" \
      --loop uvloop --http httptools --no-access-log --proxy-headers "$@"
    ;;
  worker)
    exec celery --app app.jobs:celery_app worker --loglevel "${LOG_LEVEL:-INFO}" "$@"
    ;;
  scheduler)
    exec celery --app app.jobs:celery_app beat --loglevel "${LOG_LEVEL:-INFO}" \
      --schedule "${BEAT_SCHEDULE_FILE:-${TMPDIR:-/tmp}/celerybeat-schedule}" "$@"
    ;;
  monitor)
    exec python -m app.jobs.monitor "$@"
    ;;
  migrate)
    exec alembic upgrade head "$@"
    ;;
  *)
    exec "$command" "$@"
    ;;
esac
