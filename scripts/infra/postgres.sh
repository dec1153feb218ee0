#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and the distributed stack (never Debian's default
# cluster on 5432).
#
# Usage: scripts/infra/postgres.sh start|stop|status|url|reset [DATA_DIR]
#   start   initdb if needed (trust auth, 127.0.0.1 only), start, create database "cairn"
#           (CAIRN_PG_DB names another).
#           Idempotent; recovers from a killed previous run (stale postmaster.pid, orphans).
#   stop    fast shutdown, then immediate, then SIGKILL; returns once no process is left.
#   status  exit 0 if running and answering, 3 otherwise.
#   url     print postgres://postgres@127.0.0.1:PORT/cairn (or CAIRN_PG_DB)
#   reset   stop, delete the data directory, start again (a fresh, empty database).
#
# Environment: CAIRN_PG_PORT (default 15433), CAIRN_PG_DIR (data directory, default
# /tmp/cairn-pg-PORT; a DATA_DIR argument wins), CAIRN_PG_BIN (PostgreSQL bin directory,
# default the newest /usr/lib/postgresql/*/bin).
# PostgreSQL refuses to run as root: as root, the server runs as the "postgres" system user
# (via runuser), which must own DATA_DIR and be able to reach it (so /tmp, not /root/...).
set -euo pipefail

cmd=${1:-}
port=${CAIRN_PG_PORT:-15433}
dir=${2:-${CAIRN_PG_DIR:-/tmp/cairn-pg-$port}}
db=${CAIRN_PG_DB:-cairn}
log() { echo "postgres.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

case "$dir" in /*) ;; *) dir="$(pwd)/$dir" ;; esac
dir=${dir%/}

find_bin() {
  if [ -n "${CAIRN_PG_BIN:-}" ]; then echo "$CAIRN_PG_BIN"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return; fi
  d=$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/pg_ctl)")
  [ -x "$d/pg_ctl" ] || die "PostgreSQL server binaries not found (apt-get install postgresql, or run scripts/install-deps.sh)"
  echo "$d"
}

# Run a command as the cluster owner: "postgres" when we are root, ourselves otherwise.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

owner() { if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi; }

url() { echo "postgres://postgres@127.0.0.1:$port/$db"; }

# PIDs of live processes that belong to this cluster: the postmaster named in postmaster.pid
# and every process whose working directory is the data directory (backends, checkpointer,
# ... chdir there and may outlive a SIGKILLed postmaster for a moment).
cluster_pids() {
  local p cwd
  for p in /proc/[0-9]*; do
    cwd=$(readlink "$p/cwd" 2>/dev/null || true)
    [ "$cwd" = "$dir" ] && echo "${p#/proc/}"
  done
  return 0
}

postmaster_pid() {
  # prints the postmaster pid if postmaster.pid names a live postgres process of this cluster
  [ -f "$dir/postmaster.pid" ] || return 1
  local pid
  pid=$(head -n 1 "$dir/postmaster.pid" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ -d "/proc/$pid" ] || return 1
  [ "$(readlink "/proc/$pid/cwd" 2>/dev/null || true)" = "$dir" ] || return 1
  echo "$pid"
}

is_ready() { "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -d postgres -U postgres -t 2 >/dev/null 2>&1; }

psql_q() { "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

kill_orphans() {
  # after a crash: wait briefly for leftover backends to notice, then kill them
  local i pids
  for i in $(seq 1 50); do
    pids=$(cluster_pids)
    [ -z "$pids" ] && return 0
    [ "$i" = 30 ] && kill -KILL $pids 2>/dev/null || true
    sleep 0.2
  done
  [ -z "$(cluster_pids)" ] || die "processes of $dir will not exit: $(cluster_pids | tr '\n' ' ')"
}

# A killed previous run leaves postmaster.pid and the socket lock file behind; PostgreSQL
# refuses to start while the PID they name exists, and a SIGKILLed postmaster may linger as a
# zombie for a moment. Wait for it (bounded), then remove both files.
clear_stale() {
  local old
  if [ -f "$dir/postmaster.pid" ]; then
    old=$(head -n 1 "$dir/postmaster.pid" 2>/dev/null || true)
    log "removing stale postmaster.pid (previous run was killed)"
    if [[ "$old" =~ ^[0-9]+$ ]]; then
      for _ in $(seq 1 50); do
        [ -d "/proc/$old" ] || break
        [ "$(awk '{print $3}' "/proc/$old/stat" 2>/dev/null || true)" = Z ] && break
        sleep 0.2
      done
    fi
    rm -f "$dir/postmaster.pid"
  fi
  kill_orphans
  rm -f "$dir/.s.PGSQL.$port.lock" "$dir/.s.PGSQL.$port"
}

init_cluster() {
  local ver=""
  [ -f "$dir/PG_VERSION" ] && ver=$(cat "$dir/PG_VERSION")
  local want
  want=$("$bin/pg_ctl" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')
  if [ -n "$ver" ] && [ "$ver" = "$want" ] && [ -f "$dir/postgresql.conf" ] && [ -f "$dir/.cairn-initialized" ]; then
    return 0
  fi
  # missing, half-initialised (initdb killed) or from another major version: it is throwaway
  log "initialising a new cluster in $dir (PostgreSQL $want)"
  rm -rf "$dir"
  mkdir -p "$dir"
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  as_owner test -w "$dir" || die "$(owner) cannot write $dir (choose a data directory it can reach, e.g. under /tmp)"
  as_owner "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    --no-instructions >"$dir.initdb.log" 2>&1 || { cat "$dir.initdb.log" >&2; die "initdb failed"; }
  rm -f "$dir.initdb.log"
  as_owner tee -a "$dir/postgresql.conf" >/dev/null <<EOF

# --- cairn throwaway cluster (scripts/infra/postgres.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 300
shared_buffers = 128MB
# test data only: durability traded for speed
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
EOF
  as_owner touch "$dir/.cairn-initialized"
}

start() {
  if pid=$(postmaster_pid) && is_ready; then
    log "already running (pid $pid, port $port, data $dir)"
    ensure_db
    return 0
  fi
  if pid=$(postmaster_pid); then
    # alive but not answering: maybe still starting; give it a moment before giving up on it
    for _ in $(seq 1 50); do is_ready && break; sleep 0.2; done
    if is_ready; then log "already running (pid $pid)"; ensure_db; return 0; fi
    log "postmaster $pid is not answering; stopping it"
    stop
  fi
  clear_stale
  if port_in_use; then
    die "port $port is already taken by another process (not the cluster in $dir); set CAIRN_PG_PORT or stop it"
  fi
  init_cluster
  if ! as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -o "-p $port" -w -t 60 start >/dev/null; then
    tail -n 30 "$dir/server.log" >&2 || true
    die "pg_ctl start failed (log: $dir/server.log)"
  fi
  for _ in $(seq 1 50); do is_ready && break; sleep 0.2; done
  is_ready || die "server started but does not answer on 127.0.0.1:$port"
  ensure_db
  log "running on 127.0.0.1:$port (pid $(postmaster_pid || echo ?), data $dir)"
}

ensure_db() {
  if [ "$(psql_q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    psql_q -d postgres -c "CREATE DATABASE $db" >/dev/null
  fi
}

stop() {
  local pid
  if pid=$(postmaster_pid); then
    as_owner "$bin/pg_ctl" -D "$dir" -m fast -w -t 20 stop >/dev/null 2>&1 ||
      as_owner "$bin/pg_ctl" -D "$dir" -m immediate -w -t 10 stop >/dev/null 2>&1 ||
      kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do [ -d "/proc/$pid" ] || break; sleep 0.2; done
    [ -d "/proc/$pid" ] && kill -KILL "$pid" 2>/dev/null || true
    log "stopped (pid $pid)"
  else
    [ -f "$dir/postmaster.pid" ] && rm -f "$dir/postmaster.pid"
    log "not running"
  fi
  kill_orphans
  rm -f "$dir/postmaster.pid" "$dir/.s.PGSQL.$port.lock" "$dir/.s.PGSQL.$port"
}

bin=$(find_bin)
case "$cmd" in
  start) start ;;
  stop) stop ;;
  status)
    if pid=$(postmaster_pid) && is_ready; then echo "postgres: running (pid $pid, $(url), data $dir)"; exit 0; fi
    echo "postgres: stopped (data $dir)"; exit 3 ;;
  url) url ;;
  reset) stop; rm -rf "$dir"; start ;;
  *) echo "usage: $0 start|stop|status|url|reset [DATA_DIR]" >&2; exit 2 ;;
esac
