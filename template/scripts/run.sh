#!/usr/bin/env bash
# Production process launcher, the container's entrypoint and the body of `just serve`.
# Usage: scripts/run.sh web|worker|scheduler|monitor|migrate  (any other command runs as given)
# Expects the project's virtual environment on PATH (the image sets it; `uv run` does locally).
set -euo pipefail

command=${1:-web}
if (($#)); then shift; fi

case "$command" in
  web)
    workers=${WEB_CONCURRENCY:-2}
    if ((workers > 1)); then
      # uvicorn's parent starts a new worker whenever one dies, also one whose app cannot start
      # (a bad setting, a broken import), forever, while the port answers nothing. Build the app
      # once first: a broken one exits here, non-zero with its reason, for the orchestrator or
      # systemd to see. (One worker: uvicorn builds it in its own process and exits likewise.)
      python -c 'from app.server import create_app; create_app()'
    fi
    # --proxy-headers: the client address and scheme come from X-Forwarded-For and -Proto when
    # the peer is one of $FORWARDED_ALLOW_IPS (uvicorn reads it; app/settings.py validates it).
    exec uvicorn app.server:create_app --factory \
      --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" --workers "$workers" \
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
