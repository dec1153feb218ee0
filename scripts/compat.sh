#!/usr/bin/env bash
# Runs the Python compatibility suite (compat/) with the OFFICIAL mlflow client against a
# running tracking server.
# Usage: scripts/compat.sh <tracking-url> <3|2> [pytest args...]
#   3 -> .venv/mlflow3 (mlflow 3.x client), 2 -> .venv/mlflow2 (mlflow 2.22 client)
# Build the venvs first with scripts/setup-python.sh. Exits with pytest's exit code.
# Set CAIRN_COMPAT_TARGET=mlflow to validate the suite against a real MLflow server
# (relaxes the few checks where Cairn deliberately improves on MLflow).
set -uo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 <tracking-url> <3|2> [pytest args...]" >&2
  exit 2
fi
url=$1 major=$2
shift 2
case "$major" in
  3|2) ;;
  *) echo "$0: client major version must be 3 or 2, got '$major'" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
py="$root/.venv/mlflow$major/bin/python"
if [ ! -x "$py" ]; then
  echo "$0: $py not found; run scripts/setup-python.sh $major first" >&2
  exit 2
fi
cd "$root" || exit 2
export CAIRN_COMPAT_URL="$url"
export PYTHONDONTWRITEBYTECODE=1
"$py" -m pytest compat/ -q "$@"
exit $?
