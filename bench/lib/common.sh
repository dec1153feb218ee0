# Shared by bench/mlflow-server.sh and bench/cairn-server.sh (sourced, not run).
# One throwaway PostgreSQL for both servers, so the comparison uses the same database engine,
# settings and disk: scripts/infra/postgres.sh on port BENCH_PG_PORT (default 15434, never the
# tests' 15433) with its data in BENCH_PG_DIR (default /tmp/cairn-bench-pg).
# Files of the servers (pid, log, artifacts) live in BENCH_DIR (default /tmp/cairn-bench).

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export CAIRN_PG_PORT=${BENCH_PG_PORT:-15434}
export CAIRN_PG_DIR=${BENCH_PG_DIR:-/tmp/cairn-bench-pg}
bench_dir=${BENCH_DIR:-/tmp/cairn-bench}
mkdir -p "$bench_dir"

log() { echo "$(basename "$0"): $*" >&2; }
die() { log "error: $*"; exit 1; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# start (idempotent) the shared PostgreSQL and make sure database $1 exists
pg_ensure_db() {
  local db=$1 bin
  bash "$root/scripts/infra/postgres.sh" start >&2
  bin=$(pg_bin)
  if [ "$("$bin/psql" -X -h 127.0.0.1 -p "$CAIRN_PG_PORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    "$bin/psql" -X -q -h 127.0.0.1 -p "$CAIRN_PG_PORT" -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null
    log "created database $db"
  fi
}

pg_drop_db() {
  local db=$1 bin
  bin=$(pg_bin)
  bash "$root/scripts/infra/postgres.sh" status >/dev/null 2>&1 || return 0
  "$bin/psql" -X -q -h 127.0.0.1 -p "$CAIRN_PG_PORT" -U postgres -d postgres \
    -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  log "dropped database $db"
}

alive() { [ -d "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)" != Z ]; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid recorded in $1 if that process is alive and its command line contains $2
recorded_pid() {
  local f=$1 want=$2 pid
  [ -f "$f" ] || return 1
  pid=$(tr -dc '0-9' <"$f")
  [ -n "$pid" ] && alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$want" || return 1
  echo "$pid"
}

# wait (bounded) until GET $1 answers 200
wait_http() {
  local url=$1 secs=$2 pid=$3 i
  for i in $(seq 1 $((secs * 5))); do
    [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" 2>/dev/null || true)" = 200 ] && return 0
    alive "$pid" || return 1
    sleep 0.2
  done
  return 1
}

# SIGTERM the process group led by $1 (the server was started with setsid), then SIGKILL
stop_group() {
  local pid=$1 i
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    alive "$pid" || break
    sleep 0.2
  done
  if alive "$pid"; then
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  # the group's children (uvicorn workers, job runner) may outlive the leader for a moment
  for i in $(seq 1 50); do
    pgrep -g "$pid" >/dev/null 2>&1 || return 0
    sleep 0.2
  done
  pkill -KILL -g "$pid" 2>/dev/null || true
}
