#!/usr/bin/env bash
# A throwaway NATS server with JetStream for tests and the distributed stack.
#
# Usage: scripts/infra/nats.sh start|stop|status|url|reset [DIR]
#   start   start nats-server -js on 127.0.0.1 (idempotent; a stale pid file is ignored) and
#           wait until it answers with JetStream enabled.
#   stop    SIGTERM, then SIGKILL after 10 s; returns once the process is gone.
#   status  exit 0 if running and answering, 3 otherwise.
#   url     print nats://127.0.0.1:PORT
#   reset   stop, delete DIR (JetStream store), start again.
#
# Environment: CAIRN_NATS_PORT (default 14222), CAIRN_NATS_MONITOR_PORT (default 18222; 0 = off),
# CAIRN_NATS_DIR (pid file, log and JetStream store; default /tmp/cairn-nats-PORT; a DIR
# argument wins), CAIRN_NATS_MAX_PAYLOAD (default 8MB).
set -euo pipefail

cmd=${1:-}
port=${CAIRN_NATS_PORT:-14222}
mport=${CAIRN_NATS_MONITOR_PORT:-18222}
dir=${2:-${CAIRN_NATS_DIR:-/tmp/cairn-nats-$port}}
case "$dir" in /*) ;; *) dir="$(pwd)/$dir" ;; esac
dir=${dir%/}
pidfile=$dir/nats.pid
logfile=$dir/nats.log
log() { echo "nats.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

url() { echo "nats://127.0.0.1:$port"; }

# pid of the live nats-server named in the pid file, if any
server_pid() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(tr -dc '0-9' <"$pidfile" 2>/dev/null || true)
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)" != Z ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q nats-server || return 1
  echo "$pid"
}

# The server's INFO line (sent on connect), or failure if nothing answers on the port.
info_line() {
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    IFS= read -r -t 2 line <&3 || exit 1
    printf "%s\n" "$line"
  ' _ "$port" 2>/dev/null
}

is_ready() {
  local info
  info=$(info_line) || return 1
  case "$info" in INFO*'"jetstream":true'*) return 0 ;; *) return 1 ;; esac
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

start() {
  local pid
  if pid=$(server_pid); then
    for _ in $(seq 1 50); do is_ready && break; sleep 0.1; done
    if is_ready; then log "already running (pid $pid, $(url))"; return 0; fi
    log "nats-server $pid is not answering; restarting it"
    stop
  fi
  rm -f "$pidfile"
  command -v nats-server >/dev/null || die "nats-server not found (apt-get install nats-server, or run scripts/install-deps.sh)"
  port_in_use && die "port $port is already taken by another process; set CAIRN_NATS_PORT or stop it"
  mkdir -p "$dir"
  # Replies of any size go in parts under 1 MB (libs/nest-common, wire-reply.ts); requests are up
  # to a 1 MB log-batch plus its envelope, so 8 MB by default. CAIRN_NATS_MAX_PAYLOAD=1MB runs
  # NATS's own default (the transport test does).
  printf 'max_payload: %s\n' "${CAIRN_NATS_MAX_PAYLOAD:-8MB}" >"$dir/nats.conf"
  local args=(-c "$dir/nats.conf" -a 127.0.0.1 -p "$port" -js -sd "$dir" -P "$pidfile" -l "$logfile")
  [ "$mport" != 0 ] && args+=(-m "$mport")
  # own session, so it survives the shell that started it and a terminal's Ctrl-C
  setsid nats-server "${args[@]}" </dev/null >>"$dir/nats.out" 2>&1 &
  local launched=$!
  for _ in $(seq 1 100); do
    if is_ready && server_pid >/dev/null; then
      log "running on $(url) (pid $(server_pid), JetStream store $dir/jetstream)"
      return 0
    fi
    if ! [ -d "/proc/$launched" ] && ! server_pid >/dev/null; then break; fi
    sleep 0.1
  done
  tail -n 20 "$logfile" "$dir/nats.out" >&2 2>/dev/null || true
  kill -KILL "$launched" 2>/dev/null || true
  die "nats-server did not come up on $(url) with JetStream"
}

stop() {
  local pid
  if pid=$(server_pid); then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      [ -d "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)" != Z ] || break
      sleep 0.1
    done
    if [ -d "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)" != Z ]; then
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
    log "stopped (pid $pid)"
  else
    log "not running"
  fi
  rm -f "$pidfile"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status)
    if pid=$(server_pid) && is_ready; then echo "nats: running (pid $pid, $(url), store $dir/jetstream)"; exit 0; fi
    echo "nats: stopped"; exit 3 ;;
  url) url ;;
  reset) stop; rm -rf "$dir"; start ;;
  *) echo "usage: $0 start|stop|status|url|reset [DIR]" >&2; exit 2 ;;
esac
