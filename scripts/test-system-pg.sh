#!/usr/bin/env bash
# The integration tier again, on the PostgreSQL a platform team runs rather than the embedded one:
# Debian's server (15 on bookworm), started with scripts/infra/postgres.sh on its own port unless
# one is already running there, stopped again if this script started it. The planner differs
# between major versions (tracking-svc migration 0008 was a plan PostgreSQL 15 chose and 18 did
# not), and the Helm chart and the distributed stack run on whichever the operator has.
#
# Usage: scripts/test-system-pg.sh [name-filter]
# Environment: CAIRN_SYSTEM_PG_PORT (default 15436).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CAIRN_PG_PORT=${CAIRN_SYSTEM_PG_PORT:-15436}
export CAIRN_PG_DIR=/tmp/cairn-test-system-pg-$CAIRN_PG_PORT
pg="scripts/infra/postgres.sh"

node scripts/build.mjs --quiet

started=0
if ! bash "$pg" status >/dev/null 2>&1; then started=1; fi
stop_pg() { if [ "$started" = 1 ]; then bash "$pg" stop; fi; }
trap stop_pg EXIT
bash "$pg" start

CAIRN_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$CAIRN_PG_PORT/postgres"
export CAIRN_TEST_DATABASE_URL
echo "# integration tests on $(psql "$CAIRN_TEST_DATABASE_URL" -Atc 'SHOW server_version' 2>/dev/null || echo 'system PostgreSQL') at 127.0.0.1:$CAIRN_PG_PORT"
node scripts/test.mjs --integration ${1:+"$1"}
