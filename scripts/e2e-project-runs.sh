#!/usr/bin/env bash
# Project runs through a running Cairn (e2e.sh calls it against the distributed stack, where the
# project-runner is its own process behind NATS): `cairn run` of a tiny stdlib-only project that
# logs a metric through MLFLOW_TRACKING_URI, then a cancel through `cairn runs cancel`, checked
# through the REST API.
#
# Usage: scripts/e2e-project-runs.sh <gateway-url>
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
url=${1:?usage: $0 <gateway-url>}
work=$(mktemp -d /tmp/cairn-e2e-project.XXXXXX)
trap 'rm -rf "$work"' EXIT
cairn() { node "$root/dist/apps/cli/main.js" "$@" --tracking-uri "$url"; }
fail() { echo "e2e-project-runs: FAILED: $*" >&2; exit 1; }

cat >"$work/MLproject" <<'YAML'
name: e2e
entry_points:
  main:
    parameters: {x: float}
    command: "python3 log.py {x}"
  wait:
    command: "sleep 300"
YAML
cat >"$work/log.py" <<'PY'
import json, os, sys, urllib.request
body = {"run_id": os.environ["MLFLOW_RUN_ID"], "key": "x", "value": float(sys.argv[1]), "timestamp": 0, "step": 0}
req = urllib.request.Request(os.environ["MLFLOW_TRACKING_URI"] + "/api/2.0/mlflow/runs/log-metric",
                             data=json.dumps(body).encode(), headers={"content-type": "application/json"})
urllib.request.urlopen(req)
print("logged x =", sys.argv[1])
PY

out=$(cairn run "$work" -P x=2.5 --experiment-name e2e-project-runs 2>&1) || fail "cairn run exited $?: $out"
grep -q "logged x = 2.5" <<<"$out" || fail "the run's output was not streamed: $out"
run_id=$(grep -oE '=== Run [0-9a-f]{32}' <<<"$out" | head -1 | grep -oE '[0-9a-f]{32}')
curl -sf "$url/api/2.0/mlflow/runs/get?run_id=$run_id" | python3 -c '
import json, sys
r = json.load(sys.stdin)["run"]
assert r["info"]["status"] == "FINISHED", r["info"]
assert [m["value"] for m in r["data"]["metrics"] if m["key"] == "x"] == [2.5], r["data"]
tags = {t["key"]: t["value"] for t in r["data"]["tags"]}
assert tags["mlflow.source.type"] == "PROJECT" and tags["mlflow.project.backend"] == "local", tags
' || fail "run $run_id is not as expected"

wait_id=$(cairn run "$work" -e wait --detach 2>/dev/null)
for _ in $(seq 1 100); do
  curl -sf "$url/api/cairn/v1/project-runs/$wait_id" | grep -q '"backend_handle"' && break
  sleep 0.2
done
cairn runs cancel "$wait_id" >/dev/null 2>&1 || fail "cairn runs cancel failed"
for _ in $(seq 1 100); do
  status=$(curl -sf "$url/api/cairn/v1/project-runs/$wait_id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["project_run"]["status"])')
  [ "$status" = KILLED ] && break
  sleep 0.2
done
[ "$status" = KILLED ] || fail "cancelled run $wait_id is $status"
echo "e2e-project-runs: run $run_id FINISHED with its metric; run $wait_id KILLED by cancel"
