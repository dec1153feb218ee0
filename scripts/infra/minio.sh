#!/usr/bin/env bash
# A throwaway MinIO (S3-compatible object store) for the S3 artifact-store tests and the
# distributed stack.
#
# Usage: scripts/infra/minio.sh install|start|stop|status|url|env|reset [DIR]
#   install  build MinIO from source with `go install` at the pinned version into the tools
#            cache (skipped when that binary is already there; takes several minutes once).
#   start    install if needed, start MinIO on 127.0.0.1 (idempotent), wait until
#            /minio/health/live answers, and create the test bucket.
#   stop     SIGTERM, then SIGKILL after 10 s; returns once the process is gone.
#   status   exit 0 if running and answering, 3 otherwise.
#   url      print http://127.0.0.1:PORT
#   env      print the CAIRN_* S3 settings for this MinIO as `export` lines (for eval).
#   reset    stop, delete DIR (the data), start again.
#
# Environment: CAIRN_MINIO_PORT (default 19000), CAIRN_MINIO_CONSOLE_PORT (default 19001),
# CAIRN_MINIO_DIR (data, pid file and log; default /tmp/cairn-minio-PORT; a DIR argument wins),
# CAIRN_MINIO_BUCKET (default cairn-test), CAIRN_TOOLS_DIR (binary cache; default
# ~/.cache/cairn-tools). Credentials are fixed test values: never use this MinIO for real data.
set -euo pipefail

# MinIO's RELEASE.* tags are not semver, so the Go module proxy refuses them: the pin is the
# pseudo-version of a commit instead.
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
MINIO_MODULE=github.com/minio/minio
ROOT_USER=cairn-minio-test
ROOT_PASSWORD=cairn-minio-test-secret

cmd=${1:-}
port=${CAIRN_MINIO_PORT:-19000}
cport=${CAIRN_MINIO_CONSOLE_PORT:-19001}
bucket=${CAIRN_MINIO_BUCKET:-cairn-test}
dir=${2:-${CAIRN_MINIO_DIR:-/tmp/cairn-minio-$port}}
case "$dir" in /*) ;; *) dir="$(pwd)/$dir" ;; esac
dir=${dir%/}
tools=${CAIRN_TOOLS_DIR:-$HOME/.cache/cairn-tools}
bin=$tools/minio-$MINIO_VERSION/minio
pidfile=$dir/minio.pid
logfile=$dir/minio.log
here=$(cd "$(dirname "$0")" && pwd)
log() { echo "minio.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

url() { echo "http://127.0.0.1:$port"; }

install() {
  if [ -x "$bin" ]; then log "MinIO $MINIO_VERSION present ($bin)"; return 0; fi
  command -v go >/dev/null || die "go not found: MinIO is built from source with \`go install\` (install Go 1.24+)"
  local staging t0=$SECONDS
  mkdir -p "$(dirname "$bin")"
  staging=$(mktemp -d "$(dirname "$bin")/.build.XXXXXX")
  log "building $MINIO_MODULE@$MINIO_VERSION with $(go version | awk '{print $3}') (several minutes, once)"
  if ! GOBIN="$staging" GOFLAGS=-mod=mod go install "$MINIO_MODULE@$MINIO_VERSION" >"$staging/build.log" 2>&1; then
    tail -n 30 "$staging/build.log" >&2
    rm -rf "$staging"
    die "go install $MINIO_MODULE@$MINIO_VERSION failed"
  fi
  mv "$staging/minio" "$bin"  # atomic: a half-built binary is never taken for a cached one
  rm -rf "$staging"
  log "installed $bin in $((SECONDS - t0)) s"
}

# pid of the live MinIO named in the pid file, if any
server_pid() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(tr -dc '0-9' <"$pidfile" 2>/dev/null || true)
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)" != Z ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q minio || return 1
  echo "$pid"
}

is_ready() { curl -fsS -o /dev/null --max-time 2 "$(url)/minio/health/live" 2>/dev/null; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

s3_env() {
  echo "export CAIRN_S3_ENDPOINT=$(url)"
  echo "export CAIRN_S3_REGION=us-east-1"
  echo "export CAIRN_S3_ACCESS_KEY_ID=$ROOT_USER"
  echo "export CAIRN_S3_SECRET_ACCESS_KEY=$ROOT_PASSWORD"
  echo "export CAIRN_S3_FORCE_PATH_STYLE=true"
  echo "export CAIRN_MINIO_BUCKET=$bucket"
}

create_bucket() {
  (eval "$(s3_env)" && node "$here/minio-bucket.mjs" "$bucket") || die "could not create bucket $bucket"
}

start() {
  local pid
  if pid=$(server_pid); then
    for _ in $(seq 1 50); do is_ready && break; sleep 0.1; done
    if is_ready; then log "already running (pid $pid, $(url))"; create_bucket; return 0; fi
    log "MinIO $pid is not answering; restarting it"
    stop
  fi
  rm -f "$pidfile"
  command -v curl >/dev/null || die "curl not found (apt-get install curl, or run scripts/install-deps.sh)"
  install
  port_in_use && die "port $port is already taken by another process; set CAIRN_MINIO_PORT or stop it"
  mkdir -p "$dir/data"
  # own session, so it survives the shell that started it and a terminal's Ctrl-C
  MINIO_ROOT_USER=$ROOT_USER MINIO_ROOT_PASSWORD=$ROOT_PASSWORD MINIO_UPDATE=off MINIO_BROWSER=on \
    setsid "$bin" server "$dir/data" --address "127.0.0.1:$port" --console-address "127.0.0.1:$cport" --quiet \
    </dev/null >>"$logfile" 2>&1 &
  local launched=$!
  echo "$launched" >"$pidfile"
  for _ in $(seq 1 300); do
    if is_ready && server_pid >/dev/null; then
      log "running on $(url) (pid $launched, console http://127.0.0.1:$cport, data $dir/data)"
      create_bucket
      return 0
    fi
    [ -d "/proc/$launched" ] || break
    sleep 0.1
  done
  tail -n 20 "$logfile" >&2 2>/dev/null || true
  kill -KILL "$launched" 2>/dev/null || true
  rm -f "$pidfile"
  die "MinIO did not come up on $(url)"
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
  install) install ;;
  start) start ;;
  stop) stop ;;
  status)
    if pid=$(server_pid) && is_ready; then echo "minio: running (pid $pid, $(url), data $dir/data)"; exit 0; fi
    echo "minio: stopped"; exit 3 ;;
  url) url ;;
  env) s3_env ;;
  reset) stop; rm -rf "$dir"; start ;;
  *) echo "usage: $0 install|start|stop|status|url|env|reset [DIR]" >&2; exit 2 ;;
esac
