#!/usr/bin/env bash
# The distributed Cairn stack on one machine: PostgreSQL + NATS (scripts/infra/*.sh), the
# schema migrations, then one background process per app (gateway, tracking-svc,
# registry-svc, artifact-svc, project-runner). Needs a build (`npm run build`).
#
# Usage: scripts/stack.sh start [--fresh]   start (idempotent); --fresh wipes the database,
#                                            the JetStream store and .cairn-stack/home first.
#                                            Prints the gateway URL on stdout once /ready.
#        scripts/stack.sh stop               stop the apps, then NATS and PostgreSQL
#        scripts/stack.sh restart [--fresh]  stop the apps (not the infra) and start again
#        scripts/stack.sh status             one line per component; exit 3 if not all up
#        scripts/stack.sh logs [APP] [-f]    tail the logs (all apps, or one; -f follows)
#
# Files: .cairn-stack/pids/APP.pid, .cairn-stack/logs/APP.log (plus db-upgrade.log),
#        .cairn-stack/home (CAIRN_HOME of the apps). CAIRN_STACK_DIR moves them.
# Ports: gateway CAIRN_STACK_PORT (default 15000, on CAIRN_STACK_HOST, default 127.0.0.1),
#        PostgreSQL CAIRN_PG_PORT (15433), NATS CAIRN_NATS_PORT (14222), artifact-svc's data
#        plane CAIRN_STACK_ARTIFACTS_PORT (15002, 127.0.0.1 only: the gateway is its client).
# Artifacts: on disk under .cairn-stack/artifacts; with CAIRN_STACK_MINIO=1, in MinIO
#        (scripts/infra/minio.sh, 127.0.0.1:19000, bucket CAIRN_STACK_BUCKET=cairn-artifacts)
#        under a prefix of this stack's own (a new one after --fresh). A MinIO that the stack
#        started is stopped by `stop`; one that was already running is left alone.
# Webhooks: CAIRN_WEBHOOK_SECRET_KEY defaults to a key kept in .cairn-stack/home/webhook-secret.key,
#        CAIRN_WEBHOOK_ALLOWED_HOSTS to 127.0.0.1 (set it empty to keep loopback refused).
# Other environment: CAIRN_LOG_LEVEL (default info), CAIRN_STACK_TIMEOUT (seconds to wait
# for /ready, default 60). Anything else exported (CAIRN_DB_POOL_SIZE, ...) reaches the apps.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
stack=${CAIRN_STACK_DIR:-$root/.cairn-stack}
gw_port=${CAIRN_STACK_PORT:-15000}
gw_host=${CAIRN_STACK_HOST:-127.0.0.1}
timeout_s=${CAIRN_STACK_TIMEOUT:-60}
artifacts_port=${CAIRN_STACK_ARTIFACTS_PORT:-15002}
bucket=${CAIRN_STACK_BUCKET:-cairn-artifacts}
# start order: the services first, the gateway (which reports /ready) last
apps=(tracking-svc registry-svc artifact-svc project-runner gateway)
infra=$root/scripts/infra

log() { echo "stack.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }
gw_url() { echo "http://$gw_host:$gw_port"; }
# a wildcard host is reachable through loopback
probe_url() {
  case "$gw_host" in 0.0.0.0 | '::' | '[::]') echo "http://127.0.0.1:$gw_port" ;; *) gw_url ;; esac
}

pidfile() { echo "$stack/pids/$1.pid"; }
logfile() { echo "$stack/logs/$1.log"; }

alive() {
  [ -d "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)" != Z ]
}

# pid of the running app named by its pid file, if it is really that app
app_pid() {
  local f pid
  f=$(pidfile "$1")
  [ -f "$f" ] || return 1
  pid=$(tr -dc '0-9' <"$f")
  [ -n "$pid" ] && alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "dist/apps/$1/main.js" || return 1
  echo "$pid"
}

http_code() {
  local c
  c=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "$(probe_url)$1" 2>/dev/null || true)
  [ "$c" = 000 ] || echo "$c"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_apps() {
  local app pid pids=()
  # gateway first, so no request reaches a service that is going away
  for app in gateway project-runner artifact-svc registry-svc tracking-svc; do
    if pid=$(app_pid "$app"); then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$app:$pid")
    fi
    rm -f "$(pidfile "$app")"
  done
  [ ${#pids[@]} -eq 0 ] && return 0
  for _ in $(seq 1 150); do
    local left=0 p
    for p in "${pids[@]}"; do alive "${p#*:}" && left=1; done
    [ $left = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do
    if alive "${p#*:}"; then
      log "${p%%:*} (pid ${p#*:}) did not exit within 15 s of SIGTERM; killing it"
      kill -KILL "${p#*:}" 2>/dev/null || true
    else
      log "stopped ${p%%:*} (pid ${p#*:})"
    fi
  done
}

show_logs_tail() {
  local app f
  for app in db-upgrade "${apps[@]}"; do
    f=$(logfile "$app")
    [ -s "$f" ] || continue
    echo "----- last 40 lines of $f -----" >&2
    tail -n 40 "$f" >&2
  done
  echo "-----" >&2
}

fail_start() {
  log "error: $*"
  show_logs_tail
  stop_apps
  log "the apps are stopped; PostgreSQL and NATS are left running (scripts/stack.sh stop stops them)"
  exit 1
}

# CAIRN_ARTIFACTS_DESTINATION (+ CAIRN_S3_* for MinIO) for artifact-svc; CAIRN_ARTIFACTS_URL
# (its data plane) for the gateway
setup_artifacts() {
  local fresh=$1 prefix
  if [ "${CAIRN_STACK_MINIO:-0}" = 1 ]; then
    if ! bash "$infra/minio.sh" status >/dev/null 2>&1; then touch "$stack/minio.started-by-stack"; fi
    CAIRN_MINIO_BUCKET=$bucket bash "$infra/minio.sh" start
    eval "$(CAIRN_MINIO_BUCKET=$bucket bash "$infra/minio.sh" env)"
    [ $fresh = 1 ] && rm -f "$stack/s3-prefix"
    [ -s "$stack/s3-prefix" ] || echo "stack-$(date -u +%Y%m%dT%H%M%S)-$$" >"$stack/s3-prefix"
    prefix=$(cat "$stack/s3-prefix")
    export CAIRN_ARTIFACTS_DESTINATION="s3://$bucket/$prefix"
  else
    [ $fresh = 1 ] && rm -rf "${stack:?}/artifacts"
    mkdir -p "$stack/artifacts"
    export CAIRN_ARTIFACTS_DESTINATION="file://$stack/artifacts"
  fi
  export CAIRN_ARTIFACTS_URL="http://127.0.0.1:$artifacts_port"
  log "artifacts in $CAIRN_ARTIFACTS_DESTINATION (data plane $CAIRN_ARTIFACTS_URL)"
}

# registry-svc's CAIRN_WEBHOOK_SECRET_KEY, unless set: made once and kept in the apps' home (0600),
# so it lives and dies (--fresh) with the database whose webhook secrets it encrypts. Loopback
# receivers are allow-listed by default: this stack is one machine's (scripts/e2e-webhooks.mjs).
setup_webhooks() {
  local keyf=$stack/home/webhook-secret.key
  if [ -z "${CAIRN_WEBHOOK_SECRET_KEY:-}" ]; then
    [ -s "$keyf" ] || (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '=+/\n' >"$keyf")
    CAIRN_WEBHOOK_SECRET_KEY=$(cat "$keyf")
    export CAIRN_WEBHOOK_SECRET_KEY
  fi
  export CAIRN_WEBHOOK_ALLOWED_HOSTS=${CAIRN_WEBHOOK_ALLOWED_HOSTS-127.0.0.1}
}

start() {
  local fresh=0 a app pid
  for a in "$@"; do
    case "$a" in --fresh) fresh=1 ;; *) die "unknown option $a" ;; esac
  done
  for app in cli "${apps[@]}"; do
    [ -f "dist/apps/$app/main.js" ] || die "dist/apps/$app/main.js is missing: run 'npm run build' first"
  done
  command -v curl >/dev/null || die "curl is missing (scripts/install-deps.sh)"
  mkdir -p "$stack/pids" "$stack/logs"
  if [ $fresh = 1 ]; then
    stop_apps
    bash "$infra/postgres.sh" reset
    bash "$infra/nats.sh" reset
    rm -rf "${stack:?}/home"
  else
    bash "$infra/postgres.sh" start
    bash "$infra/nats.sh" start
  fi
  mkdir -p "$stack/home"
  setup_artifacts $fresh
  setup_webhooks

  export CAIRN_DATABASE_URL CAIRN_NATS_URL CAIRN_HOME="$stack/home"
  CAIRN_DATABASE_URL=$(bash "$infra/postgres.sh" url)
  CAIRN_NATS_URL=$(bash "$infra/nats.sh" url)
  export CAIRN_LOG_LEVEL=${CAIRN_LOG_LEVEL:-info}
  # project-runner: its runs report to this gateway; the whole stack is on this machine, so
  # projects in local directories are allowed (a shared runner accepts only git URIs by default).
  export CAIRN_RUNNER_TRACKING_URI=${CAIRN_RUNNER_TRACKING_URI:-$(probe_url)}
  export CAIRN_RUNNER_DIR=${CAIRN_RUNNER_DIR:-$stack/runner}
  export CAIRN_RUNNER_LOCAL_PROJECTS=${CAIRN_RUNNER_LOCAL_PROJECTS:-true}

  log "migrating $CAIRN_DATABASE_URL"
  if ! timeout 120 node --enable-source-maps dist/apps/cli/main.js db upgrade \
    </dev/null >"$(logfile db-upgrade)" 2>&1; then
    tail -n 40 "$(logfile db-upgrade)" >&2
    die "'cairn db upgrade' failed (log: $(logfile db-upgrade))"
  fi

  local started=0
  declare -A child=()
  for app in "${apps[@]}"; do
    if pid=$(app_pid "$app"); then
      log "$app already running (pid $pid)"
      continue
    fi
    local extra=(-u CAIRN_PORT -u CAIRN_HOST)
    if [ "$app" = gateway ]; then
      port_in_use "$gw_port" && fail_start "port $gw_port is taken by another process (set CAIRN_STACK_PORT)"
      extra=(CAIRN_PORT="$gw_port" CAIRN_HOST="$gw_host")
    elif [ "$app" = artifact-svc ]; then
      port_in_use "$artifacts_port" && fail_start "port $artifacts_port is taken by another process (set CAIRN_STACK_ARTIFACTS_PORT)"
      extra+=(CAIRN_ARTIFACTS_PORT="$artifacts_port" CAIRN_ARTIFACTS_HOST=127.0.0.1)
    fi
    # one log per run; the previous run's is kept as APP.log.prev
    [ -f "$(logfile "$app")" ] && mv -f "$(logfile "$app")" "$(logfile "$app").prev"
    echo "=== $(date -u +%FT%TZ) starting $app ===" >"$(logfile "$app")"
    # setsid: own session, so the app outlives this shell and ignores the terminal's signals
    env "${extra[@]}" setsid node --enable-source-maps "dist/apps/$app/main.js" \
      </dev/null >>"$(logfile "$app")" 2>&1 &
    echo $! >"$(pidfile "$app")"
    child[$app]=$!
    started=1
    log "started $app (pid $!, log $(logfile "$app"))"
  done

  local deadline=$((SECONDS + timeout_s)) code="" confirmed=0
  while :; do
    for app in "${apps[@]}"; do
      if ! app_pid "$app" >/dev/null; then
        local rc="?"
        if [ -n "${child[$app]:-}" ]; then wait "${child[$app]}" 2>/dev/null && rc=0 || rc=$?; fi
        fail_start "$app exited during start-up (exit code $rc)"
      fi
    done
    code=$(http_code /ready)
    if [ "$code" = 200 ]; then
      # ready, and every app we launched survives one more look a second later
      [ $started = 0 ] || [ $confirmed = 1 ] && break
      confirmed=1
      sleep 1
      continue
    fi
    confirmed=0
    [ $SECONDS -ge $deadline ] && fail_start "gateway not ready after ${timeout_s} s (last GET /ready: ${code:-no answer})"
    sleep 0.5
  done
  [ $started = 1 ] && log "ready after $((SECONDS - deadline + timeout_s)) s"
  log "Cairn (distributed) is ready at $(gw_url)  (logs: scripts/stack.sh logs; stop: scripts/stack.sh stop)"
  gw_url
}

stop() {
  stop_apps
  bash "$infra/nats.sh" stop
  bash "$infra/postgres.sh" stop
  if [ -f "$stack/minio.started-by-stack" ]; then
    bash "$infra/minio.sh" stop
    rm -f "$stack/minio.started-by-stack"
  fi
}

status() {
  local ok=0 app pid code
  bash "$infra/postgres.sh" status || ok=3
  bash "$infra/nats.sh" status || ok=3
  if [ "${CAIRN_STACK_MINIO:-0}" = 1 ] || [ -f "$stack/minio.started-by-stack" ]; then bash "$infra/minio.sh" status || ok=3; fi
  for app in "${apps[@]}"; do
    if pid=$(app_pid "$app"); then echo "$app: running (pid $pid)"; else echo "$app: stopped"; ok=3; fi
  done
  code=$(http_code /ready)
  echo "gateway $(gw_url)/ready: ${code:-no answer}"
  [ "$code" = 200 ] || ok=3
  return $ok
}

logs() {
  local follow=0 which=() a
  for a in "$@"; do
    case "$a" in
      -f | --follow) follow=1 ;;
      db-upgrade | gateway | tracking-svc | registry-svc | artifact-svc | project-runner) which+=("$a") ;;
      *) die "unknown app or option: $a" ;;
    esac
  done
  [ ${#which[@]} -eq 0 ] && which=(db-upgrade "${apps[@]}")
  local files=()
  for a in "${which[@]}"; do [ -f "$(logfile "$a")" ] && files+=("$(logfile "$a")"); done
  [ ${#files[@]} -eq 0 ] && die "no logs yet under $stack/logs"
  if [ $follow = 1 ]; then exec tail -n 20 -F "${files[@]}"; fi
  tail -n 50 "${files[@]}"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  start) start "$@" ;;
  stop) stop ;;
  restart) stop_apps; start "$@" ;;
  status) status ;;
  logs) logs "$@" ;;
  *) echo "usage: $0 start [--fresh]|stop|restart [--fresh]|status|logs [APP] [-f]" >&2; exit 2 ;;
esac
