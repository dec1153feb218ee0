#!/usr/bin/env bash
# The MLproject examples end to end through `cairn run` on the local backend: the wine model
# (virtualenv from python_env.yaml), a failing run (exit code passed through), a 3x2 sweep with
# --parallel 3, and the multistep workflow; then the official mlflow client checks that the runs,
# params, metrics and models are there, and loads a model to predict.
#
# Usage: scripts/examples.sh [tracking-url]   (default: starts an all-in-one on port 15401)
# Needs: a build (npm run build) and .venv/mlflow3 (scripts/setup-python.sh 3).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
py="$root/.venv/mlflow3/bin/python"
[ -x "$py" ] || { echo "examples.sh: $py missing (run scripts/setup-python.sh 3)" >&2; exit 1; }

url=${1:-}
home=""
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -INT "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$home" ]; then rm -rf "$home"; fi
}
trap cleanup EXIT
if [ -z "$url" ]; then
  home=$(mktemp -d /tmp/cairn-examples.XXXXXX)
  port=${CAIRN_EXAMPLES_PORT:-15401}
  CAIRN_HOME="$home" CAIRN_PORT=$port CAIRN_LOG_LEVEL=warn node dist/apps/cli/main.js server >"$home/server.log" 2>&1 &
  server_pid=$!
  url="http://127.0.0.1:$port"
  for _ in $(seq 1 120); do curl -sf "$url/ready" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -sf "$url/ready" >/dev/null || { echo "examples.sh: server did not start"; tail -20 "$home/server.log"; exit 1; }
fi
export MLFLOW_TRACKING_URI=$url
cairn() { node dist/apps/cli/main.js "$@"; }
run_id() { grep -oE '=== (Run|Sweep) [0-9a-f]{32}' "$1" | head -1 | grep -oE '[0-9a-f]{32}'; }
out=$(mktemp -d)
passed=0
failed=0
check() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "examples.sh: FAILED: $*" >&2; fi; }
timed() { local t0=$SECONDS; "$@"; local rc=$?; echo "examples.sh: '$*' took $((SECONDS - t0)) s (exit $rc)" >&2; return $rc; }

echo "examples.sh: against $url"
set +e
timed cairn run examples/sklearn_elasticnet_wine -P alpha=0.42 --experiment-name examples-wine 2>&1 | tee "$out/wine.log"
check test "${PIPESTATUS[0]}" = 0
timed cairn run examples/sklearn_elasticnet_wine -P alpha=-1 --experiment-name examples-wine >"$out/fail.log" 2>&1
check test $? = 3
timed cairn run examples/sklearn_elasticnet_wine --sweep alpha=0.1,0.5,1.0 --sweep l1_ratio=0.2,0.8 --parallel 3 --experiment-name examples-sweep 2>&1 | tee "$out/sweep.log"
check test "${PIPESTATUS[0]}" = 0
timed cairn run examples/multistep -P alpha=0.2 --experiment-name examples-multistep 2>&1 | tee "$out/multistep.log"
check test "${PIPESTATUS[0]}" = 0
set -e

wine=$(run_id "$out/wine.log")
bad=$(run_id "$out/fail.log")
sweep=$(run_id "$out/sweep.log")
multi=$(run_id "$out/multistep.log")
if "$py" - "$wine" "$bad" "$sweep" "$multi" <<'PY'
import sys
import mlflow
import pandas as pd
from mlflow import MlflowClient

wine, bad, sweep, multi = sys.argv[1:]
c = MlflowClient()

r = c.get_run(wine)
assert r.info.status == "FINISHED", r.info
assert r.data.params["alpha"] == "0.42" and r.data.params["l1_ratio"] == "0.1", r.data.params
assert {"rmse", "mae", "r2"} <= set(r.data.metrics), r.data.metrics
assert r.data.tags["mlflow.source.type"] == "PROJECT" and r.data.tags["mlflow.project.entryPoint"] == "main"
assert r.data.tags["mlflow.project.env"] == "virtualenv"
assert r.inputs.dataset_inputs and r.inputs.dataset_inputs[0].dataset.name == "wine-quality"
data = pd.read_csv("examples/sklearn_elasticnet_wine/wine-quality.csv").drop(columns=["quality"]).head(5)
pred = mlflow.pyfunc.load_model(f"runs:/{wine}/model").predict(data)
assert len(pred) == 5, pred
print(f"wine run {wine}: rmse={r.data.metrics['rmse']:.4f}, model predicts {list(map(float, pred))[:2]}...")

assert c.get_run(bad).info.status == "FAILED"

parent = c.get_run(sweep)
assert parent.info.status == "FINISHED"
children = mlflow.search_runs([parent.info.experiment_id], filter_string=f"tags.mlflow.parentRunId = '{sweep}'", output_format="list")
assert len(children) == 6, len(children)
grid = sorted((ch.data.params["alpha"], ch.data.params["l1_ratio"]) for ch in children)
assert grid == sorted((a, l) for a in ("0.1", "0.5", "1.0") for l in ("0.2", "0.8")), grid
for ch in children:
    assert ch.info.status == "FINISHED" and "rmse" in ch.data.metrics
best = min(children, key=lambda ch: ch.data.metrics["rmse"])
print(f"sweep {sweep}: 6 runs, best alpha={best.data.params['alpha']} l1_ratio={best.data.params['l1_ratio']} rmse={best.data.metrics['rmse']:.4f}")

main = c.get_run(multi)
assert main.info.status == "FINISHED", main.info
load_id, train_id = main.data.tags["steps"].split(",")
for step, entry in ((load_id, "load_data"), (train_id, "train")):
    s = c.get_run(step)
    assert s.info.status == "FINISHED" and s.data.tags["mlflow.parentRunId"] == multi
    assert s.data.tags["mlflow.project.entryPoint"] == entry, s.data.tags
assert [a.path for a in c.list_artifacts(load_id, "data")] == ["data/wine.csv"]
assert mlflow.pyfunc.load_model(f"runs:/{train_id}/model") is not None
print(f"multistep {multi}: load_data {load_id} -> train {train_id}, rmse={main.data.metrics['rmse']:.4f}")
PY
then passed=$((passed + 1)); else failed=$((failed + 1)); echo "examples.sh: FAILED: the mlflow client's checks" >&2; fi
rm -rf "$out"
echo "examples: $passed passed, $failed failed"
[ "$failed" = 0 ]
