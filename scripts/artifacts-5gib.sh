#!/usr/bin/env bash
# A 5 GiB artifact up and down through the gateway, intact: the bytes are a deterministic stream
# made while sending and hashed (SHA-256) on the way up and on the way down, no temp file; any
# difference fails. Runs Cairn's all-in-one server twice: artifacts on local disk, then in MinIO
# (artifact-svc streams the upload into a multipart upload). Slow (minutes), so opt-in.
#
# Usage: scripts/artifacts-5gib.sh [disk|minio|all]      (default all)
# Environment: CAIRN_5GIB_SIZE (default 5GiB; e.g. 256MiB for a quick check),
#   CAIRN_5GIB_PORT (all-in-one HTTP port, default 15102), CAIRN_5GIB_MINIO_PORT (default 19170;
#   a MinIO already answering there is used and left running), CAIRN_5GIB_JSON_DIR (keep the
#   figures as JSON there). Needs `npm run build` (or builds), MinIO via scripts/infra/minio.sh.
# Exit status: 0 when every transfer came back identical, 1 otherwise.
set -euo pipefail
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
which=${1:-all}
size=${CAIRN_5GIB_SIZE:-5GiB}
port=${CAIRN_5GIB_PORT:-15102}
mport=${CAIRN_5GIB_MINIO_PORT:-19170}
minio() { CAIRN_MINIO_PORT=$mport CAIRN_MINIO_CONSOLE_PORT=$((mport + 1)) CAIRN_MINIO_BUCKET=cairn-5gib bash scripts/infra/minio.sh "$@"; }
log() { echo "[artifacts-5gib] $*" >&2; }

case "$which" in disk | minio | all) ;; *) echo "usage: $0 [disk|minio|all]" >&2; exit 2 ;; esac
node scripts/build.mjs --quiet
work=$(mktemp -d /tmp/cairn-5gib-XXXXXX)
chmod 711 "$work" # the embedded PostgreSQL runs as the postgres user when we are root
server_pid=
minio_started=0
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$minio_started" = 1 ]; then minio stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# start_server NAME [VAR=value...]: the all-in-one server with its own CAIRN_HOME, until /ready
start_server() {
  local name=$1
  shift
  mkdir -p "$work/$name"
  env "$@" CAIRN_HOME="$work/$name" CAIRN_LOG_LEVEL=warn node dist/apps/cli/main.js server --port "$port" >"$work/$name.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 240); do
    if curl -sf "http://127.0.0.1:$port/ready" >/dev/null 2>&1; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  log "server ($name) did not become ready; its log:"
  tail -20 "$work/$name.log" >&2
  return 1
}

stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

failed=0
# transfer LABEL: up and down once, sha256 compared by bench/artifacts.mjs (exit 1 on a mismatch)
transfer() {
  local label=$1 json=${CAIRN_5GIB_JSON_DIR:+$CAIRN_5GIB_JSON_DIR/artifacts-5gib-$1.json}
  local started=$SECONDS
  if node bench/artifacts.mjs --url "http://127.0.0.1:$port" --size "$size" --label "$label" --pid "server=$server_pid" ${json:+--json "$json"}; then
    log "$label: $size intact both ways in $((SECONDS - started)) s"
  else
    log "$label: FAILED"
    failed=1
  fi
}

if [ "$which" != minio ]; then
  start_server disk CAIRN_ARTIFACTS_DESTINATION="file://$work/disk-artifacts"
  transfer disk
  stop_server
fi

if [ "$which" != disk ]; then
  if ! minio status >/dev/null 2>&1; then minio_started=1; fi
  minio start >&2
  eval "$(minio env)"
  start_server minio CAIRN_ARTIFACTS_DESTINATION="s3://$CAIRN_MINIO_BUCKET/5gib-$$" \
    CAIRN_S3_ENDPOINT="$CAIRN_S3_ENDPOINT" CAIRN_S3_ACCESS_KEY_ID="$CAIRN_S3_ACCESS_KEY_ID" \
    CAIRN_S3_SECRET_ACCESS_KEY="$CAIRN_S3_SECRET_ACCESS_KEY" CAIRN_S3_FORCE_PATH_STYLE=true
  transfer minio
  stop_server
fi

exit $failed
