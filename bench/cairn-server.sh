#!/usr/bin/env bash
# Cairn's all-in-one server on the bench PostgreSQL, for side-by-side runs of bench/run.mjs
# against bench/mlflow-server.sh (same PostgreSQL cluster, another database).
#
# Usage: bench/cairn-server.sh start|stop|status|url|reset|gc
#   start   start the shared bench PostgreSQL, create database "cairn_bench", then run
#           `node dist/apps/cli/main.js server --port CAIRN_BENCH_PORT` (it applies its own
#           migrations on start) in the background; waits for /ready. Needs `npm run build`
#           first (start does not build: other work may be in progress in the tree).
#           Idempotent. Prints the URL on stdout.
#   stop    SIGTERM (Cairn shuts down in order), SIGKILL after 20 s. PostgreSQL keeps running;
#           `BENCH_PG=stop bench/cairn-server.sh stop` stops it too.
#   reset   stop, drop the database (seeded data included), start again.
#   gc      hard-delete what the bench soft-deleted (its W1–W3 scratch experiments): `cairn gc
#           --older-than 0s` on this database. Every W3 round leaves 100k+ points; left in
#           place they grow the metrics indexes every later insert lands in (RESULTS.md).
#
# Environment: CAIRN_BENCH_PORT (15991), CAIRN_BENCH_ROOT (the tree to run, default this repo),
# CAIRN_BENCH_DB (the database, default cairn_bench; another name keeps, e.g., an older build's schema apart),
# BENCH_PG_PORT (15434), BENCH_PG_DIR
# (/tmp/cairn-bench-pg), BENCH_DIR (/tmp/cairn-bench); the log is $BENCH_DIR/cairn.log.
# Other CAIRN_* variables (CAIRN_DB_POOL_SIZE, CAIRN_LOG_LEVEL, ...) reach the server; the log
# level defaults to warn here, so request logging does not weigh on the measurements.
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

port=${CAIRN_BENCH_PORT:-15991}
db=${CAIRN_BENCH_DB:-cairn_bench}
pidf=$bench_dir/cairn.pid
logf=$bench_dir/cairn.log
url="http://127.0.0.1:$port"
# the tree whose dist/ to run: this repo by default; CAIRN_BENCH_ROOT may name a private copy
# (e.g. built from `git archive`, so a rebuild does not pull dist/ from under other work)
tree=${CAIRN_BENCH_ROOT:-$root}
main=$tree/dist/apps/cli/main.js

start() {
  local pid
  if pid=$(recorded_pid "$pidf" "dist/apps/cli/main.js"); then
    log "already running (pid $pid) at $url"
    echo "$url"
    return 0
  fi
  [ -f "$main" ] || die "$main not found: run npm run build (in $tree)"
  port_in_use "$port" && die "port $port is taken by another process"
  pg_ensure_db "$db"
  mkdir -p "$bench_dir/cairn-home"
  log "starting: node $main server --port $port (database $db)"
  (
    cd "$tree"
    export CAIRN_DATABASE_URL="postgres://postgres@127.0.0.1:$CAIRN_PG_PORT/$db"
    export CAIRN_HOME="$bench_dir/cairn-home"
    export CAIRN_LOG_LEVEL=${CAIRN_LOG_LEVEL:-warn}
    exec setsid node "$main" server --port "$port" --host 127.0.0.1 >"$logf" 2>&1 </dev/null
  ) &
  pid=$!
  echo "$pid" >"$pidf"
  if ! wait_http "$url/ready" 120 "$pid"; then
    tail -n 40 "$logf" >&2 || true
    stop_group "$pid"
    die "cairn did not answer /ready (log: $logf)"
  fi
  log "running (pid $pid) at $url; log $logf"
  echo "$url"
}

stop() {
  local pid
  if pid=$(recorded_pid "$pidf" "dist/apps/cli/main.js"); then
    stop_group "$pid"
    log "stopped (pid $pid)"
  else
    log "not running"
  fi
  rm -f "$pidf"
  if [ "${BENCH_PG:-}" = stop ]; then bash "$root/scripts/infra/postgres.sh" stop; fi
}

gc() {
  [ -f "$main" ] || die "$main not found: run npm run build (in $tree)"
  mkdir -p "$bench_dir/cairn-home/artifacts"
  (
    cd "$tree"
    export CAIRN_DATABASE_URL="postgres://postgres@127.0.0.1:$CAIRN_PG_PORT/$db"
    export CAIRN_HOME="$bench_dir/cairn-home"
    node "$main" gc --older-than 0s | tail -n 1
  )
}

case "${1:-}" in
  start) start ;;
  gc) gc ;;
  stop) stop ;;
  status)
    if pid=$(recorded_pid "$pidf" "dist/apps/cli/main.js"); then echo "cairn: running (pid $pid) at $url"; exit 0; fi
    echo "cairn: stopped"; exit 3 ;;
  url) echo "$url" ;;
  reset) stop; pg_drop_db "$db"; start ;;
  *) echo "usage: $0 start|stop|status|url|reset|gc" >&2; exit 2 ;;
esac
