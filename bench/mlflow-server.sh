#!/usr/bin/env bash
# The OFFICIAL MLflow tracking server, for side-by-side runs of bench/run.mjs.
#
# Usage: bench/mlflow-server.sh start|stop|status|url|reset|gc
#   start   start the shared bench PostgreSQL (bench/lib/common.sh), create database
#           "mlflow_bench", start `mlflow server` on 127.0.0.1:MLFLOW_BENCH_PORT in the
#           background and wait until /health answers (the first start runs MLflow's
#           migrations: about a minute). Idempotent. Prints the URL on stdout.
#   stop    stop the server (its whole process group: uvicorn workers, job runner).
#           PostgreSQL keeps running (bench/cairn-server.sh may use it); stop that with
#           `BENCH_PG=stop bench/mlflow-server.sh stop` or
#           `CAIRN_PG_PORT=15434 CAIRN_PG_DIR=/tmp/cairn-bench-pg scripts/infra/postgres.sh stop`.
#   reset   stop, drop the database (seeded data included), start again.
#   gc      `mlflow gc --older-than 0s` on this database: removes what the bench soft-deleted
#           (its W1–W3 scratch experiments), artifacts through the running server.
#
# Environment: MLFLOW_BENCH_PORT (15990), MLFLOW_BENCH_WORKERS (MLflow's own default, 4),
# MLFLOW_BENCH_BIN (default .venv/mlflow3/bin/mlflow, the repo's pinned 3.17.2),
# BENCH_PG_PORT (15434), BENCH_PG_DIR (/tmp/cairn-bench-pg), BENCH_DIR (/tmp/cairn-bench).
# The server's log is $BENCH_DIR/mlflow.log; artifacts go to $BENCH_DIR/mlflow-artifacts.
#
# MLflow needs a PostgreSQL driver for a postgresql:// backend store (SQLAlchemy 2.1 maps it to
# psycopg 3); the repo venv does not ship one, so `start` pip-installs psycopg[binary] into that
# venv when it is missing.
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

port=${MLFLOW_BENCH_PORT:-15990}
workers=${MLFLOW_BENCH_WORKERS:-}
mlflow=${MLFLOW_BENCH_BIN:-$root/.venv/mlflow3/bin/mlflow}
db=mlflow_bench
pidf=$bench_dir/mlflow.pid
logf=$bench_dir/mlflow.log
url="http://127.0.0.1:$port"

ensure_driver() {
  local py
  py=$(dirname "$mlflow")/python
  [ -x "$mlflow" ] || die "$mlflow not found (run scripts/setup-python.sh 3)"
  if ! "$py" -c 'import psycopg' 2>/dev/null; then
    log "installing psycopg[binary] into $(dirname "$(dirname "$mlflow")")"
    "$py" -m pip install -q --disable-pip-version-check 'psycopg[binary]'
  fi
}

start() {
  local pid
  if pid=$(recorded_pid "$pidf" "mlflow server"); then
    log "already running (pid $pid) at $url"
    echo "$url"
    return 0
  fi
  port_in_use "$port" && die "port $port is taken by another process"
  ensure_driver
  pg_ensure_db "$db"
  mkdir -p "$bench_dir/mlflow-artifacts"
  local args=(server --host 127.0.0.1 --port "$port"
    --backend-store-uri "postgresql://postgres@127.0.0.1:$CAIRN_PG_PORT/$db"
    --artifacts-destination "$bench_dir/mlflow-artifacts")
  [ -n "$workers" ] && args+=(--workers "$workers")
  log "starting: mlflow ${args[*]}"
  # its own session/process group, so stop can end the workers it forks and nothing else
  # (the subshell is no group leader, so setsid execs without forking: $! is the server's pid)
  (
    cd "$bench_dir"
    MLFLOW_SQLALCHEMYSTORE_ECHO=false exec setsid "$mlflow" "${args[@]}" >"$logf" 2>&1 </dev/null
  ) &
  pid=$!
  echo "$pid" >"$pidf"
  if ! wait_http "$url/health" 180 "$pid"; then
    tail -n 40 "$logf" >&2 || true
    stop_group "$pid"
    die "mlflow server did not answer /health (log: $logf)"
  fi
  log "running (pid $pid, $("$mlflow" --version 2>/dev/null | tail -n 1)) at $url; log $logf"
  echo "$url"
}

stop() {
  local pid
  if pid=$(recorded_pid "$pidf" "mlflow server"); then
    stop_group "$pid"
    log "stopped (pid $pid)"
  else
    log "not running"
  fi
  rm -f "$pidf"
  if [ "${BENCH_PG:-}" = stop ]; then bash "$root/scripts/infra/postgres.sh" stop; fi
}

gc() {
  MLFLOW_TRACKING_URI="$url" "$mlflow" gc --older-than 0s \
    --backend-store-uri "postgresql://postgres@127.0.0.1:$CAIRN_PG_PORT/$db" 2>&1 | tail -n 1
}

case "${1:-}" in
  start) start ;;
  gc) gc ;;
  stop) stop ;;
  status)
    if pid=$(recorded_pid "$pidf" "mlflow server"); then echo "mlflow: running (pid $pid) at $url"; exit 0; fi
    echo "mlflow: stopped"; exit 3 ;;
  url) echo "$url" ;;
  reset) stop; pg_drop_db "$db"; start ;;
  *) echo "usage: $0 start|stop|status|url|reset|gc" >&2; exit 2 ;;
esac
