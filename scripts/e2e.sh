#!/usr/bin/env bash
# End-to-end suites (`npm run test:e2e`): the official mlflow clients (compat/, via
# scripts/compat.sh) against
#   1. the distributed stack (scripts/stack.sh: PostgreSQL, NATS, MinIO for the artifacts,
#      five apps; gateway :15000), with the mlflow 3 and the mlflow 2 client;
#   2. the all-in-one server (`cairn server --port 15001`, embedded PostgreSQL under a fresh
#      CAIRN_HOME), with both clients, then SIGTERM: it must exit 0 within 20 s and leave no
#      PostgreSQL process of that CAIRN_HOME behind.
# Every suite runs even when an earlier one failed; exit status 1 if any failed.
#
# Usage: scripts/e2e.sh [--skip-build] [--only distributed|all-in-one] [-- PYTEST_ARGS...]
# Environment: CAIRN_E2E_SUITE_TIMEOUT (seconds per pytest run, default 900),
#   CAIRN_E2E_READY_TIMEOUT (seconds to wait for /ready, default 60 distributed, 120 all-in-one),
#   CAIRN_E2E_MINIO (1, the default: the distributed stack keeps artifacts in MinIO, built once
#   with `go install` by scripts/infra/minio.sh; 0: on disk). All-in-one always uses its disk.
# The e2e stack keeps its own data (/tmp/cairn-e2e-*) and files (.cairn-e2e/), wiped at each
# run, so it never touches a developer's scripts/stack.sh data. It uses the same ports, though:
# stop a running dev stack first (scripts/stack.sh stop).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2

build=1
only=""
pytest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-build) build=0 ;;
    --only) only=${2:-}; shift ;;
    --) shift; pytest_args=("$@"); break ;;
    *) echo "usage: $0 [--skip-build] [--only distributed|all-in-one] [-- PYTEST_ARGS...]" >&2; exit 2 ;;
  esac
  shift
done
case "$only" in "" | distributed | all-in-one) ;; *) echo "$0: --only distributed|all-in-one" >&2; exit 2 ;; esac

suite_timeout=${CAIRN_E2E_SUITE_TIMEOUT:-900}
e2e_dir=$root/.cairn-e2e
dist_port=15000
aio_port=15001

# the distributed stack, isolated from a developer's own scripts/stack.sh data
export CAIRN_STACK_DIR=$e2e_dir/stack
export CAIRN_STACK_PORT=$dist_port CAIRN_STACK_HOST=127.0.0.1
export CAIRN_PG_PORT=15433 CAIRN_PG_DIR=/tmp/cairn-e2e-pg-15433
export CAIRN_NATS_PORT=14222 CAIRN_NATS_DIR=/tmp/cairn-e2e-nats-14222
export CAIRN_STACK_TIMEOUT=${CAIRN_E2E_READY_TIMEOUT:-60}
export CAIRN_STACK_MINIO=${CAIRN_E2E_MINIO:-1}
export CAIRN_LOG_LEVEL=${CAIRN_LOG_LEVEL:-info}

say() { echo "e2e: $*" >&2; }
banner() { printf '\n===== e2e: %s =====\n' "$*" >&2; }

summary=()
passed=0
failed=0
record() { # record NAME PASS|FAIL SECONDS [NOTE]
  local line
  line=$(printf '%-4s  %-36s %5ss%s' "$2" "$1" "$3" "${4:+  ($4)}")
  summary+=("$line")
  if [ "$2" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  echo "e2e: $line" >&2
}

stack_up=0
aio_pid=""
aio_home=""

# PIDs of processes that belong to a CAIRN_HOME: working directory inside it or named in
# their command line (the embedded postmaster gets -D HOME/..., its children chdir there).
home_pids() {
  local h=$1 pid
  {
    grep -lsaF -- "$h/" /proc/[0-9]*/cmdline
    find /proc/[0-9]*/cwd -maxdepth 0 \( -lname "$h" -o -lname "$h/*" \) 2>/dev/null
  } | sed -E 's#^/proc/([0-9]+)/.*#\1#' | sort -u | while read -r pid; do
    [ "$pid" = "$$" ] && continue
    [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo Z)" = Z ] && continue
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q postgres && echo "$pid"
  done
  return 0
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ $stack_up = 1 ]; then
    say "stopping the distributed stack"
    bash scripts/stack.sh stop >/dev/null 2>&1 || true
  fi
  if [ -n "$aio_pid" ] && kill -0 "$aio_pid" 2>/dev/null; then
    say "stopping the all-in-one server (pid $aio_pid)"
    kill -TERM "$aio_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$aio_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$aio_pid" 2>/dev/null || true
  fi
  if [ -n "$aio_home" ]; then
    local left
    left=$(home_pids "$aio_home")
    [ -n "$left" ] && kill -KILL $left 2>/dev/null
    rm -rf "$aio_home"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM

http_code() {
  local c
  c=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "$1" 2>/dev/null || true)
  [ "$c" = 000 ] || echo "$c"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# run_compat NAME URL MAJOR
run_compat() {
  local name=$1 url=$2 major=$3 t0=$SECONDS rc
  banner "$name"
  timeout -k 10 "$suite_timeout" bash scripts/compat.sh "$url" "$major" "${pytest_args[@]}"
  rc=$?
  case $rc in
    0) record "$name" PASS $((SECONDS - t0)) ;;
    124 | 137) record "$name" FAIL $((SECONDS - t0)) "timed out after ${suite_timeout} s" ;;
    5) record "$name" FAIL $((SECONDS - t0)) "no tests ran" ;;
    *) record "$name" FAIL $((SECONDS - t0)) "exit code $rc" ;;
  esac
  return $rc
}

t_all=$SECONDS
mkdir -p "$e2e_dir"
rm -f "$e2e_dir/summary.txt"

if [ $build = 1 ]; then
  banner "build"
  t0=$SECONDS
  if ! npm run build --silent; then
    record "build" FAIL $((SECONDS - t0))
    printf '%s\ne2e: 0 passed, 1 failed\n' "${summary[0]}" | tee "$e2e_dir/summary.txt"
    exit 1
  fi
fi
missing=""
for app in cli gateway tracking-svc registry-svc artifact-svc project-runner; do
  [ -f "dist/apps/$app/main.js" ] || missing="$missing $app"
done
[ -n "$missing" ] && say "warning: no build of:$missing"

# the mlflow client venvs (fast when they are up to date)
bash scripts/setup-python.sh all || say "warning: scripts/setup-python.sh failed"

# run_step NAME COMMAND...: one more end-to-end check, recorded like the compat suites
run_step() {
  local name=$1 t0=$SECONDS rc
  shift
  banner "$name"
  timeout -k 10 "$suite_timeout" "$@"
  rc=$?
  case $rc in
    0) record "$name" PASS $((SECONDS - t0)) ;;
    124 | 137) record "$name" FAIL $((SECONDS - t0)) "timed out after ${suite_timeout} s" ;;
    *) record "$name" FAIL $((SECONDS - t0)) "exit code $rc" ;;
  esac
  return $rc
}

# ---------------------------------------------------------------- distributed
if [ "$only" != all-in-one ]; then
  banner "distributed stack: start"
  t0=$SECONDS
  stack_up=1
  if url=$(bash scripts/stack.sh start --fresh); then
    say "distributed stack ready at $url after $((SECONDS - t0)) s"
    dist_fail=0
    run_compat "distributed / mlflow 3 client" "$url" 3 || dist_fail=1
    run_compat "distributed / mlflow 2 client" "$url" 2 || dist_fail=1
    run_step "distributed / webhooks (JetStream)" node scripts/e2e-webhooks.mjs --restart "$url" || dist_fail=1
    run_step "distributed / project runs" bash scripts/e2e-project-runs.sh "$url" || dist_fail=1
    if [ $dist_fail = 1 ]; then
      banner "distributed stack logs (tails; full logs in $CAIRN_STACK_DIR/logs)"
      bash scripts/stack.sh logs >&2 || true
    fi
  else
    record "distributed / mlflow 3 client" FAIL $((SECONDS - t0)) "stack did not start"
    record "distributed / mlflow 2 client" FAIL 0 "stack did not start"
    record "distributed / webhooks (JetStream)" FAIL 0 "stack did not start"
    record "distributed / project runs" FAIL 0 "stack did not start"
  fi
  banner "distributed stack: stop"
  bash scripts/stack.sh stop
  stack_up=0
fi

# ---------------------------------------------------------------- all-in-one
if [ "$only" != distributed ]; then
  banner "all-in-one server: start"
  t0=$SECONDS
  aio_url=http://127.0.0.1:$aio_port
  aio_log=$e2e_dir/all-in-one.log
  aio_home=$(mktemp -d /tmp/cairn-e2e-home.XXXXXX)
  # reachable by a PostgreSQL that runs as another user (it refuses to run as root)
  chmod 755 "$aio_home"
  ready_timeout=${CAIRN_E2E_READY_TIMEOUT:-120}
  ready=0
  note=""
  if port_in_use $aio_port; then
    note="port $aio_port is taken by another process"
  else
    # no CAIRN_DATABASE_URL: all-in-one must use its own embedded PostgreSQL
    env -u CAIRN_DATABASE_URL -u CAIRN_NATS_URL -u CAIRN_PORT -u CAIRN_HOST CAIRN_HOME="$aio_home" \
      node --enable-source-maps dist/apps/cli/main.js server --port $aio_port --host 127.0.0.1 \
      </dev/null >"$aio_log" 2>&1 &
    aio_pid=$!
    say "all-in-one server pid $aio_pid, CAIRN_HOME $aio_home, log $aio_log"
    deadline=$((SECONDS + ready_timeout))
    while :; do
      if ! kill -0 "$aio_pid" 2>/dev/null; then
        wait "$aio_pid"
        note="server exited during start-up (exit code $?)"
        aio_pid=""
        break
      fi
      code=$(http_code "$aio_url/ready")
      if [ "$code" = 200 ]; then ready=1; break; fi
      if [ $SECONDS -ge $deadline ]; then note="not ready after ${ready_timeout} s (last GET /ready: ${code:-no answer})"; break; fi
      sleep 0.5
    done
  fi
  if [ $ready = 1 ]; then
    say "all-in-one server ready at $aio_url after $((SECONDS - t0)) s"
    aio_fail=0
    run_compat "all-in-one / mlflow 3 client" "$aio_url" 3 || aio_fail=1
    run_compat "all-in-one / mlflow 2 client" "$aio_url" 2 || aio_fail=1
  else
    say "error: all-in-one server: $note"
    record "all-in-one / mlflow 3 client" FAIL $((SECONDS - t0)) "$note"
    record "all-in-one / mlflow 2 client" FAIL 0 "server did not start"
    aio_fail=1
  fi

  banner "all-in-one server: SIGTERM and clean exit"
  t0=$SECONDS
  if [ -z "$aio_pid" ]; then
    record "all-in-one / clean shutdown" FAIL 0 "server was not running"
  else
    kill -TERM "$aio_pid" 2>/dev/null
    exited=0
    for _ in $(seq 1 100); do
      kill -0 "$aio_pid" 2>/dev/null || { exited=1; break; }
      sleep 0.2
    done
    if [ $exited = 0 ]; then
      kill -KILL "$aio_pid" 2>/dev/null
      wait "$aio_pid" 2>/dev/null
      aio_pid=""
      record "all-in-one / clean shutdown" FAIL $((SECONDS - t0)) "still running 20 s after SIGTERM"
    else
      wait "$aio_pid"
      rc=$?
      aio_pid=""
      # give a postmaster that is shutting down a moment, then judge
      left=""
      for _ in $(seq 1 25); do
        left=$(home_pids "$aio_home")
        [ -z "$left" ] && break
        sleep 0.2
      done
      if [ -n "$left" ]; then
        record "all-in-one / clean shutdown" FAIL $((SECONDS - t0)) \
          "exit code $rc, PostgreSQL still running: pids $(echo $left)"
        ps -o pid,user,args -p "$(echo $left | tr ' ' ,)" >&2 || true
        kill -KILL $left 2>/dev/null
      elif [ $rc != 0 ]; then
        record "all-in-one / clean shutdown" FAIL $((SECONDS - t0)) "exit code $rc"
      else
        record "all-in-one / clean shutdown" PASS $((SECONDS - t0)) "exit code 0, no PostgreSQL left"
      fi
    fi
  fi
  if [ $aio_fail = 1 ] || [ "${summary[-1]:0:4}" != PASS ]; then
    banner "all-in-one server log (last 60 lines of $aio_log)"
    tail -n 60 "$aio_log" >&2 2>/dev/null || true
  fi
  rm -rf "$aio_home"
  aio_home=""
fi

# a 5 GiB file up and down through the gateway, intact, on disk and on MinIO (own ports 15102,
# 19170); CAIRN_E2E_5GIB=0 skips it
if [ "${CAIRN_E2E_5GIB:-1}" = 1 ] && [ -z "$only" ]; then
  run_step "artifacts / 5 GiB round trip" bash scripts/artifacts-5gib.sh all || true
fi

{
  echo "===== e2e summary ($((SECONDS - t_all)) s) ====="
  for line in "${summary[@]}"; do echo "$line"; done
  echo "e2e: $passed passed, $failed failed"
} >"$e2e_dir/summary.txt"
echo
cat "$e2e_dir/summary.txt"
[ $failed = 0 ]
