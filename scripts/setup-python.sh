#!/usr/bin/env bash
# Creates the Python virtualenvs that hold the official mlflow client (pinned) for compat/.
# Usage: scripts/setup-python.sh [3|2|all]   (default all). Idempotent: a venv whose
# requirements file has not changed is kept.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
which=${1:-all}
make_venv() {
  local major=$1 req="$root/compat/requirements-mlflow$1.txt" dir="$root/.venv/mlflow$1"
  if [ -f "$dir/.req" ] && cmp -s "$req" "$dir/.req"; then return 0; fi
  rm -rf "$dir"
  python3 -m venv "$dir"
  "$dir/bin/pip" install -q --disable-pip-version-check -r "$req"
  cp "$req" "$dir/.req"
  echo "venv $dir ready: $("$dir/bin/python" -c 'import mlflow; print(mlflow.__version__)')"
}
case "$which" in
  3) make_venv 3 ;;
  2) make_venv 2 ;;
  all) make_venv 3 & p3=$!; make_venv 2 & p2=$!; wait $p3; wait $p2 ;;
  *) echo "usage: $0 [3|2|all]" >&2; exit 2 ;;
esac
