#!/usr/bin/env bash
# Starts and stops the project's Postgres, Redis and SMTP server: Docker Compose (with Mailpit) when
# a Docker engine answers, otherwise native binaries and an aiosmtpd sink run project-locally on the
# project's ports.
# Usage: scripts/services.sh up|down|restart|destroy|status [postgres|redis|smtp]
#   (expects the environment of scripts/env.sh; a service name acts on that service only).
# SERVICES_DIR (default tmp/services) and SERVICES_MODE=native|docker (default: docker when an
# engine answers) let tests run throwaway servers of their own with exactly this setup.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state=${SERVICES_DIR:-$root/tmp/services}
mode_file="$state/mode"
: "${POSTGRES_PORT:?load the environment first: source scripts/env.sh}"

say() { printf 'services: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

docker_engine() {
  case "${SERVICES_MODE:-}" in
    native) return 1 ;;
    docker) return 0 ;;
  esac
  command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1
}

# Daemons we start ourselves (Redis, the SMTP sink) are tracked by a pid file.
running_pid() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null && cat "$1"; }

failed_to_start() {  # name, log: fail with the log's last lines (where the reason is)
  say "$1 failed to start; the end of $2:"
  tail -n 20 "$2" >&2 2>/dev/null || true
  exit 1
}

wait_for_port() {  # port, name, log: up to 5 s, then fail showing the log
  for _ in $(seq 50); do port_open "$1" && return 0; sleep 0.1; done
  failed_to_start "$2" "$3"
}

stop_pid_file() {  # pid file, name
  local pid
  if pid=$(running_pid "$1"); then
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    say "$2 stopped"
  fi
}

# ---------- native Postgres ----------

find_pg_bin() {
  local candidate
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return; fi
  for candidate in $(ls -d /usr/lib/postgresql/*/bin /opt/homebrew/opt/postgresql@*/bin \
      /usr/local/opt/postgresql@*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$candidate/pg_ctl" ]]; then echo "$candidate"; return; fi
  done
  return 1
}

# initdb refuses to run as root, so root runs Postgres as an unprivileged user. That user cannot
# enter a checkout below a 0700 home directory, so root keeps the data in /var/tmp instead and
# links it from tmp/services/postgres.
pg_user() {
  if [[ $EUID -ne 0 ]]; then id -un
  elif id postgres >/dev/null 2>&1; then echo postgres
  else echo nobody; fi
}

pg_home() {
  if [[ $EUID -ne 0 ]]; then echo "$state/postgres"
  else echo "/var/tmp/$PROJECT_SLUG-postgres-$POSTGRES_PORT"; fi
}

as_pg_user() {  # from /, which that user can enter (the checkout may be below a 0700 directory)
  if [[ $EUID -ne 0 ]]; then "$@"; else (cd / && runuser -u "$(pg_user)" -- "$@"); fi
}

postgres_up() {
  local bin home
  bin=$(find_pg_bin) || return 1
  home=$(pg_home)
  mkdir -p "$home" "$state"
  if [[ $EUID -eq 0 ]]; then
    chown "$(pg_user)" "$home"
    chmod 700 "$home"
    ln -sfn "$home" "$state/postgres"
  fi
  if [[ ! -f "$home/data/PG_VERSION" ]]; then
    say "initialising Postgres in $home/data ($("$bin/postgres" --version))"
    printf '%s\n' "$POSTGRES_PASSWORD" | as_pg_user tee "$home/pwfile" >/dev/null
    as_pg_user "$bin/initdb" --pgdata="$home/data" --username="$POSTGRES_USER" \
      --pwfile="$home/pwfile" --auth=scram-sha-256 --encoding=UTF8 --no-instructions >"$state/initdb.log"
    rm -f "$home/pwfile"
  fi
  if as_pg_user "$bin/pg_ctl" status --pgdata="$home/data" >/dev/null 2>&1; then
    say "Postgres already running on 127.0.0.1:$POSTGRES_PORT"
    return 0
  fi
  port_open "$POSTGRES_PORT" && die "port $POSTGRES_PORT is taken by another process; free it or change port_base"
  as_pg_user "$bin/pg_ctl" start --pgdata="$home/data" --log="$home/postgres.log" --wait --silent \
    -o "-c listen_addresses=127.0.0.1 -c port=$POSTGRES_PORT -c unix_socket_directories='$home'" \
    || failed_to_start Postgres "$home/postgres.log"
  say "Postgres running on 127.0.0.1:$POSTGRES_PORT (data and log in $home)"
}

postgres_down() {
  local bin home
  bin=$(find_pg_bin) || return 0
  home=$(pg_home)
  if [[ -f "$home/data/PG_VERSION" ]] && as_pg_user "$bin/pg_ctl" status --pgdata="$home/data" >/dev/null 2>&1; then
    as_pg_user "$bin/pg_ctl" stop --pgdata="$home/data" --mode=fast --wait --silent
    say "Postgres stopped"
  fi
}

# ---------- native Redis ----------

redis_up() {
  command -v redis-server >/dev/null 2>&1 || return 1
  if running_pid "$state/redis/redis.pid" >/dev/null; then
    say "Redis already running on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  port_open "$REDIS_PORT" && die "port $REDIS_PORT is taken by another process; free it or change port_base"
  mkdir -p "$state/redis"
  # Append-only file, fsynced every second: queued jobs survive a restart (docker-compose.yml
  # runs Redis the same way). A crash of the machine can lose the last second of writes.
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --dir "$state/redis" \
    --pidfile "$state/redis/redis.pid" --logfile "$state/redis/redis.log" \
    --save "" --appendonly yes --appendfsync everysec
  wait_for_port "$REDIS_PORT" Redis "$state/redis/redis.log"
  say "Redis running on 127.0.0.1:$REDIS_PORT (log in $state/redis)"
}

redis_down() { stop_pid_file "$state/redis/redis.pid" Redis; }

# ---------- native SMTP sink (stands in for Mailpit: writes every message, decoded, to a log) ----------

smtp_up() {
  local python
  if running_pid "$state/mail/smtp.pid" >/dev/null; then
    say "SMTP sink already running on 127.0.0.1:$MAILPIT_SMTP_PORT"
    return 0
  fi
  port_open "$MAILPIT_SMTP_PORT" && die "port $MAILPIT_SMTP_PORT is taken by another process; free it or change port_base"
  # The sink is a dev tool, not project code: aiosmtpd runs from uv's tool cache outside the project
  # (its Python pin and venv do not apply, so services start even where only a container has the
  # project's Python), started by that interpreter directly so the pid is the server's.
  python=$(cd / && uvx --quiet --from 'aiosmtpd>=1.4' \
    python -c 'import aiosmtpd, sys; print(sys.executable)') \
    || die "the SMTP sink needs aiosmtpd from PyPI (uvx --from aiosmtpd failed); check uv and the network"
  mkdir -p "$state/mail"
  # scripts/mail_sink.py writes each message decoded (a link in the log opens as sent).
  PYTHONUNBUFFERED=1 PYTHONPATH="$root/scripts" nohup "$python" -m aiosmtpd --nosetuid \
    --listen "127.0.0.1:$MAILPIT_SMTP_PORT" --class mail_sink.DecodedMessages \
    </dev/null >>"$state/mail/messages.log" \
    2>>"$state/mail/smtp.log" &  # its errors apart: a failed start shows them, not the mail
  echo $! >"$state/mail/smtp.pid"
  wait_for_port "$MAILPIT_SMTP_PORT" "the SMTP sink" "$state/mail/smtp.log"
  say "SMTP sink running on 127.0.0.1:$MAILPIT_SMTP_PORT (messages in $state/mail/messages.log)"
}

smtp_down() { stop_pid_file "$state/mail/smtp.pid" "SMTP sink"; }

# ---------- commands ----------

native_missing() {
  local missing=()
  find_pg_bin >/dev/null || missing+=("PostgreSQL server binaries (Debian: apt install postgresql; macOS: brew install postgresql@17)")
  command -v redis-server >/dev/null 2>&1 || missing+=("redis-server (Debian: apt install redis-server; macOS: brew install redis)")
  printf '%s\n' "${missing[@]}"
}

services=(postgres redis smtp)
compose_name() { [[ $1 == smtp ]] && echo mailpit || echo "$1"; }

up() {  # [service]
  mkdir -p "$state"
  if docker_engine; then
    docker compose --project-directory "$root" up --detach --wait ${1:+"$(compose_name "$1")"}
    echo docker >"$mode_file"
    return
  fi
  local missing service wanted=("$@")
  ((${#wanted[@]})) || wanted=("${services[@]}")
  missing=$(native_missing)
  if [[ -n "$missing" ]]; then
    die "no Docker engine answers and native services are missing. Install Docker, or:
$missing"
  fi
  for service in "${wanted[@]}"; do "${service}_up"; done
  echo native >"$mode_file"
}

down() {  # [service]
  local service
  case "$(cat "$mode_file" 2>/dev/null || true)" in
    docker)
      if (($#)); then docker compose --project-directory "$root" stop "$(compose_name "$1")"
      else docker compose --project-directory "$root" down; fi
      ;;
    native)
      if (($#)); then "${1}_down"
      else for service in smtp redis postgres; do "${service}_down"; done; fi
      ;;
    *) say "nothing was started by 'just up'" ;;
  esac
  (($#)) || rm -f "$mode_file"
}

destroy() {  # down, then delete every service's data: the next `up` starts from empty databases
  local home
  if [[ -f "$mode_file" ]] && [[ $(cat "$mode_file") == docker ]]; then
    docker compose --project-directory "$root" down --volumes
    rm -f "$mode_file"
  else
    down
  fi
  home=$(pg_home)
  rm -rf "$home" "$state"
  say "service data deleted"
}

status() {
  local mode
  mode=$(cat "$mode_file" 2>/dev/null || echo "not started")
  say "mode: $mode"
  for service in "Postgres:$POSTGRES_PORT" "Redis:$REDIS_PORT" "SMTP:$MAILPIT_SMTP_PORT"; do
    if port_open "${service#*:}"; then say "${service%%:*} answers on 127.0.0.1:${service#*:}"
    else say "${service%%:*} is down (127.0.0.1:${service#*:})"; fi
  done
}

command=${1:-}
service=${2:-}
if [[ -n $service && ! " ${services[*]} " =~ " $service " ]]; then
  die "unknown service '$service' (one of: ${services[*]})"
fi
case "$command" in
  up) up ${service:+"$service"} ;;
  down) down ${service:+"$service"} ;;
  restart) down ${service:+"$service"}; up ${service:+"$service"} ;;
  destroy) [[ -z $service ]] || die "destroy acts on every service"; destroy ;;
  status) status ;;
  *) die "usage: scripts/services.sh up|down|restart|destroy|status [${services[*]// /|}]" ;;
esac
